"""The Moderators group (admin access, nothing else of the CMS) and the removal
reasons a new install starts with; editors can change both."""

from django.db import migrations

REASONS = [
    (
        "Community guidelines",
        "This comment has been removed for violating our community guidelines.",
    ),
    (
        "Personal attack",
        "This comment has been removed: personal attacks are not allowed.",
    ),
    ("Spam or advertising", "This comment has been removed as spam."),
    ("Off-topic", "This comment has been removed for being off-topic."),
    ("Hate speech", "This comment has been removed for hate speech."),
    (
        "Misinformation",
        "This comment has been removed for spreading false information.",
    ),
]


def create(apps, schema_editor):
    Group = apps.get_model("auth", "Group")
    Permission = apps.get_model("auth", "Permission")
    ContentType = apps.get_model("contenttypes", "ContentType")
    RemovalReason = apps.get_model("moderation", "RemovalReason")
    group, _created = Group.objects.get_or_create(name="Moderators")
    admin_type, _created = ContentType.objects.get_or_create(
        app_label="wagtailadmin", model="admin"
    )
    access, _created = Permission.objects.get_or_create(
        content_type=admin_type,
        codename="access_admin",
        defaults={"name": "Can access Wagtail admin"},
    )
    group.permissions.add(access)
    for order, (title, message) in enumerate(REASONS):
        RemovalReason.objects.get_or_create(
            title=title, defaults={"message": message, "sort_order": order}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("moderation", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
        ("contenttypes", "0002_remove_content_type_name"),
        ("wagtailadmin", "0001_create_admin_access_permissions"),
    ]

    operations = [migrations.RunPython(create, migrations.RunPython.noop)]
