"""Naming a site and a section on the command line and in forms."""

from wagtail.models import Site

from newsroom.news.models import SectionPage


def site_named(hostname: str | None) -> Site:
    if not hostname:
        site = Site.objects.filter(is_default_site=True).first()
        if site is None:
            raise LookupError("There is no default site; name one with --site.")
        return site
    site = Site.objects.filter(hostname__iexact=hostname).first()
    if site is None:
        names = ", ".join(Site.objects.values_list("hostname", flat=True))
        raise LookupError(
            f"No site has the hostname {hostname!r} (there are: {names})."
        )
    return site


def section_in(site: Site, name: str) -> SectionPage:
    sections = SectionPage.objects.descendant_of(site.root_page)
    found = (
        sections.filter(pk=int(name)).first()
        if name.isdigit()
        else sections.filter(slug=name).first()
    )
    if found is None:
        slugs = ", ".join(sections.values_list("slug", flat=True))
        raise LookupError(
            f"{site.hostname} has no section {name!r} (its sections: {slugs})."
        )
    return found
