from celery import shared_task


@shared_task(name="strategy.send_review_mail", acks_late=True)
def send_review_mail(version_id: int, base_url: str) -> int:
    from .models import Version
    from .review import review_mail_send

    version = Version.objects.select_related("strategy__process").get(pk=version_id)
    return review_mail_send(version=version, base_url=base_url)
