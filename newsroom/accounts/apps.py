from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "newsroom.accounts"
    label = "accounts"
    verbose_name = "Reader accounts"

    def ready(self):
        from . import checks, receivers  # noqa: F401  (registers checks and receivers)
