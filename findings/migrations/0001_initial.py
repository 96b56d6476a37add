# The findings models moved here from the strategy app. Their tables stay where
# they are in this step (db_table below): this migration only tells Django's
# state that the models now belong to this app. 0002 renames the tables.

import django.db.models.deletion
from django.conf import settings
from django.db import migrations, models


class Migration(migrations.Migration):

    initial = True

    dependencies = [
        ('mipr', '0002_audit_log'),
        ('timeline', '0001_initial'),
        ('workshops', '0002_answer_submitted_by'),
        ('strategy', '0003_pdf_export'),
        migrations.swappable_dependency(settings.AUTH_USER_MODEL),
    ]

    state_operations = [
        migrations.CreateModel(
            name='FindingsSummary',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('shared_at', models.DateTimeField(blank=True, null=True, verbose_name='shared')),
                ('milestone', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='findings_summaries', to='timeline.milestone', verbose_name='milestone it fulfils')),
                ('process', models.OneToOneField(on_delete=django.db.models.deletion.CASCADE, related_name='findings_summary', to='mipr.process', verbose_name='process')),
            ],
            options={
                'verbose_name': 'findings summary',
                'verbose_name_plural': 'findings summaries',
                'db_table': 'strategy_findingssummary',
            },
        ),
        migrations.CreateModel(
            name='Source',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('kind', models.CharField(choices=[('report', 'report'), ('interview', 'interview'), ('dialogue', 'dialogue')], default='report', max_length=12, verbose_name='type')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('url', models.URLField(blank=True, max_length=500, verbose_name='link')),
                ('notes', models.TextField(blank=True, verbose_name='notes')),
                ('date', models.DateField(blank=True, null=True, verbose_name='date')),
                ('status', models.CharField(choices=[('not_started', 'not started'), ('in_progress', 'in progress'), ('done', 'done')], default='not_started', max_length=12, verbose_name='status')),
                ('says', models.TextField(blank=True, help_text='The main points, in your own words or as short quotes.', verbose_name='what the source says')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('assigned_to', models.ForeignKey(blank=True, null=True, on_delete=django.db.models.deletion.SET_NULL, related_name='assigned_sources', to=settings.AUTH_USER_MODEL, verbose_name='assigned to')),
                ('process', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='sources', to='mipr.process', verbose_name='process')),
            ],
            options={
                'verbose_name': 'source',
                'verbose_name_plural': 'sources',
                'ordering': ['process', 'kind', 'title'],
                'db_table': 'strategy_source',
            },
        ),
        migrations.CreateModel(
            name='Finding',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('title', models.CharField(max_length=200, verbose_name='title')),
                ('description', models.TextField(blank=True, verbose_name='description')),
                ('order', models.PositiveIntegerField(default=0, verbose_name='order')),
                ('version', models.PositiveIntegerField(default=1, editable=False)),
                ('updated_at', models.DateTimeField(auto_now=True, verbose_name='updated')),
                ('process', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='findings', to='mipr.process', verbose_name='process')),
                ('sources', models.ManyToManyField(blank=True, related_name='findings', to='findings.source', verbose_name='sources')),
            ],
            options={
                'verbose_name': 'finding',
                'verbose_name_plural': 'findings',
                'ordering': ['process', 'order', 'pk'],
                'db_table': 'strategy_finding',
            },
        ),
        migrations.CreateModel(
            name='ItemTag',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('slot', models.PositiveSmallIntegerField(verbose_name='item')),
                ('created_at', models.DateTimeField(auto_now_add=True)),
                ('answer', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='workshops.answer', verbose_name='answer')),
                ('finding', models.ForeignKey(on_delete=django.db.models.deletion.CASCADE, related_name='tags', to='findings.finding', verbose_name='finding')),
            ],
            options={
                'verbose_name': 'tagged item',
                'verbose_name_plural': 'tagged items',
                'db_table': 'strategy_itemtag',
                'constraints': [models.UniqueConstraint(fields=('finding', 'answer', 'slot'), name='one_tag_per_item_and_finding')],
            },
        ),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
