"""Deploy checks (`shahrak check --deploy`): placeholders that must not reach a publication."""

from urllib.parse import urlsplit

from django.core.checks import Error, Tags, register

from . import oc4ids


def _placeholder_host(uri: str) -> bool:
    # example.org/.com/.net and *.example are reserved for documentation (RFC 2606): never a publisher.
    host = (urlsplit(uri).hostname or "").lower()
    return host in {"example.org", "example.com", "example.net"} or host.endswith(
        (".example.org", ".example.com", ".example.net", ".example", ".invalid", ".test", ".localhost")
    )


@register(Tags.security, deploy=True)
def oc4ids_publisher(app_configs, **kwargs):
    errors = []
    prefix = oc4ids._setting("PREFIX")
    if prefix == oc4ids.DEFAULTS["PREFIX"]:
        errors.append(
            Error(
                f"The OC4IDS export uses the placeholder project ID prefix {prefix!r}, which is not "
                "registered: every exported project ID would be published under it.",
                hint="Register a prefix with the Open Contracting Partnership and set OC4IDS_PREFIX.",
                id="shahrak.E001",
            )
        )
    uri = oc4ids._setting("PUBLISHER_URI")
    if uri == oc4ids.DEFAULTS["PUBLISHER_URI"] or _placeholder_host(uri):
        errors.append(
            Error(
                f"The OC4IDS export names the placeholder publisher URI {uri!r}.",
                hint="Set OC4IDS_PUBLISHER_URI to the organization's own address (and OC4IDS_PUBLISHER to its name).",
                id="shahrak.E002",
            )
        )
    return errors
