import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "mipr.settings")

app = Celery("mipr")
# All CELERY_* settings in mipr/settings.py: broker, eager mode, acks_late ...
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
