"""Load the demo network: sister sites, sections, authors, photos, articles, people.

Every step looks up what it would create first, so loading twice changes nothing.
Later parts of the product (readers, comments, votes) add their own steps to
DEMO_STEPS rather than editing the ones here.
"""

import io
from dataclasses import dataclass, field
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.contrib.auth import get_user_model
from django.contrib.auth.models import Group
from django.core.files.images import ImageFile
from django.db import transaction
from django.utils import timezone
from django.utils.text import slugify
from wagtail.models import Collection, Page, Site

from newsroom.accounts import services as account_services
from newsroom.accounts.models import Profile
from newsroom.alerts.models import Subscriber, Subscription
from newsroom.news.models import (
    ArticleAuthor,
    ArticlePage,
    Author,
    HomePage,
    NewsImage,
    NewsSiteSettings,
    SectionPage,
    WireAgency,
)

from . import (
    comments,
    content,
    embeds,
    facebook,
    moderation,
    moving_in,
    pictures,
    readership,
)

STAFF = [
    # username, group, password: demo sign-ins printed by `make demo`
    ("editor", "Editors", "newsroom-editor"),
    ("writer", "Writers", "newsroom-writer"),
]
HEADLINE_SLUG_LENGTH = 80


@dataclass
class DemoNetwork:
    """What the steps built, for the steps after them and for the summary."""

    port: int
    now: object
    content: object = (
        content  # a module or object with SITES, AGENCIES, AUTHORS, ARTICLES
    )
    draw_photo: object = pictures.scene_jpeg  # (scene, seed) -> JPEG bytes
    sites: dict = field(default_factory=dict)  # key -> Site
    homes: dict = field(default_factory=dict)  # key -> HomePage
    sections: dict = field(default_factory=dict)  # (site key, slug) -> SectionPage
    authors: dict = field(default_factory=dict)  # name -> Author
    agencies: dict = field(default_factory=dict)  # name -> WireAgency
    articles: list = field(default_factory=list)
    created: dict = field(default_factory=dict)  # what -> how many were new this run
    sign_ins: list = field(default_factory=list)  # (who, username, password, where)
    discussions: list = field(default_factory=list)  # (comment count, article)

    def count(self, what: str, was_created: bool):
        self.created[what] = self.created.get(what, 0) + int(was_created)


def _demo_collection() -> Collection:
    root = Collection.get_first_root_node()
    existing = root.get_children().filter(name="Demo photos").first()
    return existing or root.add_child(name="Demo photos")


def _image(title, *, caption, agency, photographer, scene, seed, network) -> NewsImage:
    image = NewsImage.objects.filter(title=title, caption=caption).first()
    network.count("photos", image is None)
    if image is None:
        image = _store_image(
            title,
            network.draw_photo(scene, seed),
            f"demo-{slugify(title)[:60]}.jpg",
            caption=caption,
            agency=agency or "",
            photographer=photographer or "",
        )
    return image


def _store_image(title: str, data: bytes, filename: str, **fields) -> NewsImage:
    """Save drawn picture bytes as a photo in the demo collection."""
    return NewsImage.objects.create(
        title=title,
        collection=_demo_collection(),
        file=ImageFile(io.BytesIO(data), name=filename),
        **fields,
    )


def load_sites(network: DemoNetwork):
    root = Page.get_first_root_node()
    for index, spec in enumerate(network.content.SITES):
        home = HomePage.objects.filter(slug=spec["key"]).first()
        network.count("sites", home is None)
        if home is None:
            home = root.add_child(
                instance=HomePage(
                    title=spec["name"], slug=spec["key"], description=spec["tagline"]
                )
            )
        # One site per hostname: loading again on another port moves the site there.
        site = Site.objects.filter(hostname=spec["hostname"]).first() or Site(
            hostname=spec["hostname"]
        )
        site.port = network.port
        site.site_name = spec["name"]
        site.root_page = home
        site.is_default_site = index == 0
        site.save()
        logo = NewsImage.objects.filter(title=f"{spec['name']} logo").first()
        if logo is None:
            initials = "".join(
                word[0]
                for word in spec["name"].split()
                if word[0].isupper() and word != "The"
            )
            logo = _store_image(
                f"{spec['name']} logo",
                pictures.logo_png(initials[:2], spec["colour"]),
                f"logo-{spec['key']}.png",
            )
        NewsSiteSettings.objects.update_or_create(
            site=site,
            defaults={
                "publisher_name": spec["publisher"],
                "tagline": spec["tagline"],
                "brand_colour": spec["colour"],
                "logo": logo,
            },
        )
        network.sites[spec["key"]] = site
        network.homes[spec["key"]] = home
        for slug, title in spec["sections"]:
            section = SectionPage.objects.child_of(home).filter(slug=slug).first()
            network.count("sections", section is None)
            if section is None:
                section = home.add_child(
                    instance=SectionPage(
                        title=title,
                        slug=slug,
                        show_in_menus=True,
                        description=f"{title} news from {spec['name']}.",
                    )
                )
            network.sections[(spec["key"], slug)] = section
    _retire_wagtail_welcome_page(network)


def _retire_wagtail_welcome_page(network):
    """Replace the placeholder site and page that Wagtail's install creates."""
    demo_sites = [site.pk for site in network.sites.values()]
    Site.objects.exclude(pk__in=demo_sites).filter(
        root_page__depth=2, root_page__content_type__model="page"
    ).delete()
    for page in Page.objects.filter(
        depth=2, content_type__app_label="wagtailcore", content_type__model="page"
    ):
        if not Site.objects.filter(root_page=page).exists():
            page.delete()


def load_people(network: DemoNetwork):
    for spec in network.content.AGENCIES:
        agency, created = WireAgency.objects.get_or_create(
            name=spec["name"], defaults={"copyright_holder": spec["copyright"]}
        )
        network.count("wire agencies", created)
        network.agencies[spec["name"]] = agency
    for seed, spec in enumerate(network.content.AUTHORS):
        author, created = Author.objects.get_or_create(
            name=spec["name"], defaults={"bio": spec["bio"]}
        )
        network.count("authors", created)
        if author.photo_id is None:
            author.photo = _store_image(
                f"{spec['name']}, staff photo",
                pictures.portrait_png(seed),
                f"author-{slugify(spec['name'])}.png",
            )
            author.save(update_fields=["photo"])
            network.count("author photos", True)
        network.authors[spec["name"]] = author


def _body(blocks):
    from django.utils.html import escape

    stream = []
    for kind, value in blocks:
        if kind == "paragraph":
            stream.append(("paragraph", f"<p>{escape(value)}</p>"))
        else:
            stream.append((kind, value))
    return stream


def load_articles(network: DemoNetwork):
    for seed, spec in enumerate(network.content.ARTICLES):
        section = network.sections[(spec["site"], spec["section"])]
        slug = slugify(spec["headline"])[:HEADLINE_SLUG_LENGTH].strip("-")
        article = ArticlePage.objects.child_of(section).filter(slug=slug).first()
        network.count("articles", article is None)
        if article is None:
            article = _create_article(network, section, slug, spec, seed)
        network.articles.append(article)


@transaction.atomic
def _create_article(network, section, slug, spec, seed):
    photo = spec["photo"]
    lead = _image(
        photo["title"],
        caption=photo["caption"],
        agency=photo.get("agency"),
        photographer=photo.get("photographer"),
        scene=photo["scene"],
        seed=seed,
        network=network,
    )
    published_at = network.now - timedelta(
        hours=spec["hours_ago"], minutes=(seed * 7) % 60
    )
    article = ArticlePage(
        title=spec["headline"],
        slug=slug,
        standfirst=spec["standfirst"],
        lead_image=lead,
        body=_body(spec["body"]),
        wire_agency=network.agencies.get(spec["agency"])
        if spec.get("agency")
        else None,
        first_published_at=published_at,
    )
    for order, name in enumerate(spec["authors"]):
        article.article_authors.add(
            ArticleAuthor(author=network.authors[name], sort_order=order)
        )
    article.tags.add(*spec["tags"])
    section.add_child(instance=article)
    article.save_revision().publish()
    ArticlePage.objects.filter(pk=article.pk).update(
        first_published_at=published_at, last_published_at=published_at
    )
    return article


def load_readers(network: DemoNetwork):
    """Readers with verified addresses, confirmed to their site's news alerts."""
    User = get_user_model()
    for name, email, password, site_key, time_zone in getattr(
        network.content, "READERS", ()
    ):
        user = User.objects.filter(username=name).first()
        network.count("readers", user is None)
        site = network.sites[site_key]
        if user is None:
            user = User(username=name, email=email)
            user.set_password(password)
            user.save()
            EmailAddress.objects.create(
                user=user, email=email, primary=True, verified=True
            )
            account_services.record_joined_site(user, site)
            Profile.objects.filter(user=user).update(time_zone=time_zone)
            subscriber = Subscriber.objects.create(
                email=email, user=user, time_zone=time_zone
            )
            Subscription.objects.create(
                subscriber=subscriber,
                site=site,
                digest=True,
                invited_at=network.now,
                confirmed_at=network.now,
            )
        network.sign_ins.append(("reader", name, password, "/accounts/login/"))


def load_staff(network: DemoNetwork):
    User = get_user_model()
    for username, group_name, password in STAFF:
        user = User.objects.filter(username=username).first()
        network.count("staff accounts", user is None)
        if user is None:
            user = User(
                username=username,
                email=f"{username}@newsroom.invalid",
                first_name=username.title(),
            )
            user.set_password(password)
            user.save()
        user.groups.add(Group.objects.get(name=group_name))
        network.sign_ins.append((group_name[:-1], username, password, "/cms/"))


DEMO_STEPS = [
    load_sites,
    load_people,
    load_articles,
    load_staff,
    load_readers,
    comments.load_commenters,
    comments.load_comments,
    moderation.load_moderator,
    moderation.load_moderation,
    readership.load_recent_comments,
    readership.load_reads,
    readership.load_trending,
    embeds.load_partner,
    moving_in.load_imported_discussion,
    moving_in.load_wire_feed,
    facebook.load_facebook_app,
]


def load_demo_network(
    *, port: int = 8000, now=None, content=content, draw_photo=pictures.scene_jpeg
) -> DemoNetwork:
    """Create whatever part of the demo network is missing, and return what is there.

    `content` and `draw_photo` default to the demo's own text and pictures; tests pass
    a smaller network of their own.
    """
    network = DemoNetwork(
        port=port, now=now or timezone.now(), content=content, draw_photo=draw_photo
    )
    for step in DEMO_STEPS:
        step(network)
    return network
