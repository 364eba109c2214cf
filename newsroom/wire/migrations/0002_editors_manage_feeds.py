"""Editors set up and watch the agencies' wire feeds (Snippets → Wire feeds)."""

from django.db import migrations

ACTIONS = {
    "add": "Can add wire feed",
    "change": "Can change wire feed",
    "delete": "Can delete wire feed",
    "view": "Can view wire feed",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="wire", model="wirefeed"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_wirefeed",
            defaults={"name": name},
        )[0]
        for action, name in ACTIONS.items()
    ]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("wire", "0001_feeds_items_images"),
        ("news", "0002_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
