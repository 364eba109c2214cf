from django.db import migrations

from newsroom.accounts.names import skeleton


def create_profiles(apps, schema_editor):
    """Accounts made before reader profiles existed (staff) get one each."""
    User = apps.get_model("auth", "User")
    Profile = apps.get_model("accounts", "Profile")
    taken = set(Profile.objects.values_list("name_key", flat=True))
    for user in User.objects.filter(profile__isnull=True).order_by("pk"):
        key = skeleton(user.username)
        if key in taken:
            key = f"{key}#{user.pk}"
        taken.add(key)
        Profile.objects.create(user=user, name_key=key)


class Migration(migrations.Migration):
    dependencies = [("accounts", "0001_initial")]

    operations = [migrations.RunPython(create_profiles, migrations.RunPython.noop)]
