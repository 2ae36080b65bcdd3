from django.contrib import admin
from django.contrib.auth.admin import UserAdmin as DjangoUserAdmin
from django.utils.translation import gettext_lazy as _
from guardian.admin import GuardedModelAdminMixin
from simple_history.admin import SimpleHistoryAdmin

from members.models import Body, Membership, Organisation, Person, User


@admin.register(User)
class UserAdmin(DjangoUserAdmin):
    fieldsets = (
        *DjangoUserAdmin.fieldsets,
        (_("Preferences"), {"fields": ("language", "is_example")}),
    )
    list_display = ["username", "first_name", "last_name", "email", "is_active"]
    list_filter = [*DjangoUserAdmin.list_filter, "is_example", "language"]


@admin.register(Organisation)
class OrganisationAdmin(GuardedModelAdminMixin, SimpleHistoryAdmin):
    list_display = ["name_fi", "name_sv", "abbreviation", "kind", "slug"]
    list_filter = ["kind"]
    search_fields = [
        "name_fi",
        "name_sv",
        "official_name_fi",
        "official_name_sv",
        "abbreviation",
        "slug",
    ]
    fieldsets = [
        (None, {"fields": ["kind", "name_fi", "name_sv", "abbreviation", "slug"]}),
        (
            _("Official names"),
            {"fields": ["official_name_fi", "official_name_sv", "official_name_en"]},
        ),
    ]
    prepopulated_fields = {"slug": ["name_fi"]}


@admin.register(Person)
class PersonAdmin(SimpleHistoryAdmin):
    list_display = ["last_name", "first_name", "email", "gender", "user"]
    list_filter = ["gender"]
    search_fields = ["first_name", "last_name", "email"]
    raw_id_fields = ["user"]


class MembershipInline(admin.TabularInline):
    model = Membership
    fk_name = "body"
    extra = 0
    fields = [
        "order",
        "person",
        "position",
        "position_sv",
        "organisation",
        "title",
        "title_sv",
        "role",
        "start",
        "end",
    ]
    raw_id_fields = ["person"]


@admin.register(Body)
class BodyAdmin(SimpleHistoryAdmin):
    list_display = ["name_fi", "kind", "term_start", "term_end"]
    list_filter = ["kind"]
    search_fields = ["name_fi", "name_sv"]
    inlines = [MembershipInline]


@admin.register(Membership)
class MembershipAdmin(SimpleHistoryAdmin):
    list_display = [
        "holder_name",
        "body",
        "role",
        "title",
        "organisation",
        "start",
        "end",
    ]
    list_filter = ["body", "role", "organisation"]
    search_fields = [
        "person__first_name",
        "person__last_name",
        "position",
        "position_sv",
        "title",
        "title_sv",
    ]
    list_select_related = ["person", "body", "organisation"]
    raw_id_fields = ["person", "deputy_of"]
