# The findings tables take the app's own names (findings_*), together with the
# sources' link table; foreign keys that point at them follow the rename. The
# content types, and so the permissions, move with the models, and the audit
# log's entries name the models by their new label.

from django.db import migrations

MODELS = ['finding', 'source', 'itemtag', 'findingssummary']


def relabel(apps, schema_editor, old, new):
    ContentType = apps.get_model('contenttypes', 'ContentType')
    AuditEntry = apps.get_model('mipr', 'AuditEntry')
    db = schema_editor.connection.alias
    for model in MODELS:
        # A fresh database has no content types yet: they are made after migrate.
        if not ContentType.objects.using(db).filter(app_label=new, model=model).exists():
            ContentType.objects.using(db).filter(app_label=old, model=model).update(
                app_label=new
            )
        AuditEntry.objects.using(db).filter(model=f'{old}.{model}').update(
            model=f'{new}.{model}'
        )


def forwards(apps, schema_editor):
    relabel(apps, schema_editor, 'strategy', 'findings')


def backwards(apps, schema_editor):
    relabel(apps, schema_editor, 'findings', 'strategy')


class Migration(migrations.Migration):

    dependencies = [
        ('contenttypes', '0002_remove_content_type_name'),
        ('mipr', '0002_audit_log'),
        ('findings', '0001_initial'),
        ('strategy', '0004_findings_moved_out'),
    ]

    operations = [
        migrations.AlterModelTable(name='findingssummary', table=None),
        migrations.AlterModelTable(name='source', table=None),
        migrations.AlterModelTable(name='finding', table=None),
        migrations.AlterModelTable(name='itemtag', table=None),
        migrations.RunPython(forwards, backwards),
    ]
