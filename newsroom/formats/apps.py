from django.apps import AppConfig


class FormatsConfig(AppConfig):
    name = "newsroom.formats"
    label = "formats"
    verbose_name = "Formats"
