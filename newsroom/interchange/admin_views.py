"""The admin's "Import comments" pages: upload an export, try it as a dry run,
then import it, while the task worker runs it and the page shows its progress."""

from django import forms
from django.conf import settings
from django.core.exceptions import PermissionDenied
from django.http import HttpResponseRedirect
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from wagtail.models import Site

from newsroom.news.models import SectionPage

from . import jobs
from .importer import Report
from .models import ImportJob

PERMISSION = "interchange.add_importjob"
RUNNING = (ImportJob.Status.WAITING, ImportJob.Status.RUNNING)


def may_import(user) -> bool:
    return user.is_active and user.has_perm(PERMISSION)


class SectionChoice(forms.ModelChoiceField):
    def label_from_instance(self, section):
        site = section.get_site()
        return f"{site.site_name if site else ''} › {section.title}"


class ImportForm(forms.Form):
    export = forms.FileField(
        label=gettext_lazy("Export file"),
        help_text=gettext_lazy(
            "A Disqus comments export or a WordPress export (WXR), as XML."
        ),
    )
    site = forms.ModelChoiceField(
        queryset=Site.objects.order_by("site_name"),
        label=gettext_lazy("Into the site"),
        empty_label=None,
    )
    hostnames = forms.CharField(
        required=False,
        label=gettext_lazy("Its earlier hostnames"),
        help_text=gettext_lazy(
            "Where the articles lived before, one per line (www.example.com): "
            "comments are matched to articles by their address."
        ),
        widget=forms.Textarea(attrs={"rows": 2}),
    )
    stubs_section = SectionChoice(
        queryset=SectionPage.objects.order_by("path"),
        required=False,
        label=gettext_lazy("Archive articles for unmatched threads, in"),
        empty_label=gettext_lazy("Don't make any: list them in the report"),
    )
    dry_run = forms.BooleanField(
        required=False,
        initial=True,
        label=gettext_lazy("Dry run: report what would be imported, write nothing"),
    )

    def clean_hostnames(self):
        names = self.cleaned_data["hostnames"].replace(",", "\n").split()
        for name in names:
            if len(name) > 253 or not all(c.isalnum() or c in ".-" for c in name):
                raise forms.ValidationError(
                    _("“%(name)s” is not a hostname (like www.example.com).")
                    % {"name": name[:60]}
                )
        return names

    def clean(self):
        cleaned = super().clean()
        site, section = cleaned.get("site"), cleaned.get("stubs_section")
        if site and section and not section.is_descendant_of(site.root_page):
            self.add_error(
                "stubs_section", _("Choose a section of the site you import into.")
            )
        return cleaned


def imports(request):
    if not may_import(request.user):
        raise PermissionDenied
    limit = settings.NEWSROOM_IMPORT_MAX_BYTES
    form = ImportForm(initial={"site": Site.find_for_request(request)})
    too_large = False
    if request.method == "POST":
        # Refuse an oversized upload from its declared length, before reading it.
        too_large = _int(request.META.get("CONTENT_LENGTH")) > limit
        if not too_large:
            form = ImportForm(request.POST, request.FILES)
            if form.is_valid():
                return _start(request, form)
    return render(
        request,
        "interchange/imports.html",
        {
            "form": form,
            "too_large": too_large,
            "limit": limit,
            "jobs": ImportJob.objects.select_related("site", "started_by")[:20],
        },
    )


def _start(request, form):
    data = form.cleaned_data
    upload = data["export"]
    job = jobs.start(
        site=data["site"],
        started_by=request.user,
        file_name=upload.name,
        path=str(jobs.keep_upload(upload)),
        dry_run=data["dry_run"],
        hostnames=data["hostnames"],
        stubs_section=data["stubs_section"],
    )
    return HttpResponseRedirect(reverse("interchange_job", args=[job.pk]))


def job(request, pk):
    if not may_import(request.user):
        raise PermissionDenied
    job = get_object_or_404(ImportJob.objects.select_related("site"), pk=pk)
    if request.method == "POST" and job.dry_run and job.status == ImportJob.Status.DONE:
        real = jobs.start(
            site=job.site,
            started_by=request.user,
            file_name=job.file_name,
            path=job.path,
            dry_run=False,
            hostnames=job.hostnames,
            stubs_section=job.stubs_section,
        )
        return HttpResponseRedirect(reverse("interchange_job", args=[real.pk]))
    report = Report(**job.report) if job.report else None
    return render(
        request,
        "interchange/job.html",
        {
            "job": job,
            "running": job.status
            in (ImportJob.Status.WAITING, ImportJob.Status.RUNNING),
            "percent": int(100 * job.done / job.total) if job.total else 0,
            "report": report.lines() if report else [],
        },
    )


def _int(value) -> int:
    try:
        return int(value or 0)
    except (TypeError, ValueError):
        return 0
