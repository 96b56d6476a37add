# The findings models now belong to the findings app (findings 0001): the
# sections point at them there, and the strategy app's state forgets them.
# Nothing changes in the database.

from django.db import migrations, models


class Migration(migrations.Migration):

    dependencies = [
        ('strategy', '0003_pdf_export'),
        ('findings', '0001_initial'),
    ]

    state_operations = [
        migrations.AlterField(
            model_name='section',
            name='findings',
            field=models.ManyToManyField(blank=True, related_name='sections', to='findings.finding', verbose_name='findings'),
        ),
        migrations.AlterField(
            model_name='section',
            name='sources',
            field=models.ManyToManyField(blank=True, related_name='sections', to='findings.source', verbose_name='sources'),
        ),
        migrations.DeleteModel(name='ItemTag'),
        migrations.DeleteModel(name='FindingsSummary'),
        migrations.DeleteModel(name='Finding'),
        migrations.DeleteModel(name='Source'),
    ]

    operations = [
        migrations.SeparateDatabaseAndState(state_operations=state_operations),
    ]
