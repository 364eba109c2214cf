from django.apps import AppConfig


class TrendingConfig(AppConfig):
    name = "newsroom.trending"
    label = "trending"
    verbose_name = "Trending"
