"""Shared admin base: change history on every page (simple-history), read-only history buttons."""

from simple_history.admin import SimpleHistoryAdmin


class AuditedAdmin(SimpleHistoryAdmin):
    list_per_page = 50
    show_full_result_count = False  # COUNT(*) over 500,000 events on every page is not free
