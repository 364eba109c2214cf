"""The admin's image form (WAGTAILIMAGES_IMAGE_FORM_BASE), for every way an editor
uploads a photo: the image pages, the multiple uploader and the chooser."""

from django.core.exceptions import ValidationError
from django.core.files.uploadedfile import UploadedFile
from django.utils.translation import gettext_lazy as _
from PIL import Image, UnidentifiedImageError
from wagtail.images.fields import WagtailImageField
from wagtail.images.forms import BaseImageForm

# What Pillow raises on a file it cannot decode (a truncated or forged picture).
UNDECODABLE = (UnidentifiedImageError, OSError, SyntaxError, ValueError)


class DecodedImageField(WagtailImageField):
    """Wagtail's image field, keeping a new upload only once Pillow has decoded it.

    Wagtail's field matches the name's extension with the format Willow finds in the
    file's first bytes (an SVG or an HTML file named .png is refused there), but a
    file that merely starts like a picture either passes or, when Willow decodes it
    to measure it, fails with an error of Pillow's that the admin shows as a server
    error. Here both are a message to the editor. Only decoded pictures are stored,
    so only they are served.
    """

    default_error_messages = {
        "undecodable": _(
            "This file could not be read as a picture, so it was not uploaded. "
            "Upload a photo in one of the supported formats."
        ),
    }

    def to_python(self, data):
        try:
            upload = super().to_python(data)
        except UNDECODABLE as error:
            raise self.undecodable() from error
        if isinstance(data, UploadedFile):
            data.seek(0)
            try:
                with Image.open(data) as picture:
                    picture.load()
            except UNDECODABLE as error:
                raise self.undecodable() from error
            finally:
                data.seek(0)
        return upload

    def undecodable(self) -> ValidationError:
        return ValidationError(self.error_messages["undecodable"], code="undecodable")


class NewsImageForm(BaseImageForm):
    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        # Swapped here rather than declared: a declared field would also appear in
        # the forms Wagtail builds without the file (the multiple uploader's edit).
        wagtail_field = self.fields.get("file")
        if wagtail_field is not None:
            self.fields["file"] = DecodedImageField(
                label=wagtail_field.label,
                required=wagtail_field.required,
                widget=wagtail_field.widget,
            )
