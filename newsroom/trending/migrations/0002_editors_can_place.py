"""Editors pin and hide articles in the trending lists (Snippets → Trending)."""

from django.db import migrations

ACTIONS = {
    "add": "Can add trending placement",
    "change": "Can change trending placement",
    "delete": "Can delete trending placement",
    "view": "Can view trending placement",
}


def grant(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    content_type, _created = ContentType.objects.get_or_create(
        app_label="trending", model="placement"
    )
    permissions = [
        Permission.objects.get_or_create(
            content_type=content_type,
            codename=f"{action}_placement",
            defaults={"name": name},
        )[0]
        for action, name in ACTIONS.items()
    ]
    for group in Group.objects.filter(name="Editors"):
        group.permissions.add(*permissions)


class Migration(migrations.Migration):
    dependencies = [
        ("trending", "0001_initial"),
        ("news", "0002_editorial_roles"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
    ]

    operations = [migrations.RunPython(grant, migrations.RunPython.noop)]
