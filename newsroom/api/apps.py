from django.apps import AppConfig
from django.db.models.signals import post_delete, post_save


class ApiConfig(AppConfig):
    name = "newsroom.api"
    label = "api"
    verbose_name = "API and embeds"

    def ready(self):
        from newsroom.accounts import parts
        from newsroom.comments import pages

        from . import checks  # noqa: F401  (registers the checks)
        from .models import DiscussionPage, EmbedSettings
        from .services import forget_embed_sites

        pages.register(DiscussionPage)  # an embedded article's discussion
        parts.register(
            parts.SETTINGS, parts.template_part("api/includes/settings_section.html")
        )

        # Which websites may embed which site's comments is cached for a minute;
        # an editor's change applies at once.
        post_save.connect(forget_embed_sites, sender=EmbedSettings)
        post_delete.connect(forget_embed_sites, sender=EmbedSettings)
