from django.apps import AppConfig


class InterchangeConfig(AppConfig):
    name = "newsroom.interchange"
    label = "interchange"
    verbose_name = "Import and export"

    def ready(self):
        from allauth.account.models import EmailAddress
        from django.db.models.signals import post_save

        from .claims import claim_on_verification

        post_save.connect(
            claim_on_verification, sender=EmailAddress, dispatch_uid="interchange-claim"
        )
