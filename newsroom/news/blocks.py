"""StreamField blocks of an article body."""

from django.utils.translation import gettext_lazy as _
from wagtail import blocks
from wagtail.embeds.blocks import EmbedBlock
from wagtail.images.blocks import ImageChooserBlock


class InlineImageBlock(blocks.StructBlock):
    """A photo in the body; its caption and credit come from the image itself."""

    image = ImageChooserBlock()
    caption_override = blocks.CharBlock(
        required=False,
        max_length=400,
        help_text=_("Leave empty to use the image's own caption."),
    )

    class Meta:
        icon = "image"
        template = "news/blocks/inline_image.html"


class PullQuoteBlock(blocks.StructBlock):
    text = blocks.TextBlock(max_length=600)
    attribution = blocks.CharBlock(required=False, max_length=160)

    class Meta:
        icon = "openquote"
        template = "news/blocks/pull_quote.html"


class ArticleBodyBlock(blocks.StreamBlock):
    paragraph = blocks.RichTextBlock(
        features=["bold", "italic", "link"], template="news/blocks/paragraph.html"
    )
    subheading = blocks.CharBlock(
        max_length=160, icon="title", template="news/blocks/subheading.html"
    )
    image = InlineImageBlock()
    quote = PullQuoteBlock()
    embed = EmbedBlock(
        help_text=_("A video or post URL from a supported provider."), icon="media"
    )

    class Meta:
        min_num = 1
