"""Stored files in an S3-compatible store (STORAGE_BACKEND=s3), sent through the app.

A local moto server stands in for the store. Uploads land in its bucket, and every
download comes back through the app's own response, never as a link to the bucket.
"""

import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid

import boto3
import pytest
from django.core.files.base import ContentFile
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse

from alliance.models import Job
from alliance.services import job_run
from tests.conftest import PDF_BYTES
from tests.downloads import assert_private_download
from tests.factories import UserFactory

CREDENTIALS = {"access_key": "allianssi-test", "secret_key": "allianssi-test"}
REGION = "eu-north-1"


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _answers(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=1).close()
    except urllib.error.HTTPError:
        return True
    except OSError:
        return False
    return True


@pytest.fixture(scope="session")
def s3_endpoint(tmp_path_factory):
    """A moto S3 server of this test run's own, on a free loopback port."""
    port = _free_port()
    endpoint = f"http://127.0.0.1:{port}"
    log = tmp_path_factory.mktemp("moto") / "moto.log"
    with open(log, "wb") as output:
        server = subprocess.Popen(
            [sys.executable, "-m", "moto.server", "-H", "127.0.0.1", "-p", str(port)],
            stdout=output,
            stderr=subprocess.STDOUT,
        )
    try:
        deadline = time.monotonic() + 30
        while not _answers(endpoint):
            if server.poll() is not None or time.monotonic() > deadline:
                pytest.fail("the moto server did not start: " + log.read_text())
            time.sleep(0.2)
        yield endpoint
    finally:
        server.terminate()
        server.wait(timeout=10)


@pytest.fixture
def bucket(s3_endpoint, settings):
    """A private bucket of this test's own, as the store of every stored file."""
    name = f"allianssi-{uuid.uuid4().hex[:12]}"
    client = boto3.client(
        "s3",
        endpoint_url=s3_endpoint,
        region_name=REGION,
        aws_access_key_id=CREDENTIALS["access_key"],
        aws_secret_access_key=CREDENTIALS["secret_key"],
    )
    client.create_bucket(
        Bucket=name, CreateBucketConfiguration={"LocationConstraint": REGION}
    )
    settings.STORAGES = {
        **settings.STORAGES,
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": {
                "bucket_name": name,
                "endpoint_url": s3_endpoint,
                "region_name": REGION,
                "default_acl": None,
                "querystring_auth": True,
                "file_overwrite": False,
                **CREDENTIALS,
            },
        },
    }

    def stored() -> dict[str, bytes]:
        listing = client.list_objects_v2(Bucket=name).get("Contents", [])
        return {
            item["Key"]: client.get_object(Bucket=name, Key=item["Key"])["Body"].read()
            for item in listing
        }

    return stored


def test_an_attachment_is_uploaded_to_the_store_and_downloaded_through_the_app(
    bucket, world, as_role, s3_endpoint
):
    proposal = world.helsinki_draft
    client = as_role("city-helsinki")

    response = client.post(
        reverse("theme_proposals:proposal_attachment_add", args=[proposal.pk]),
        {"file": SimpleUploadedFile("selvitys.pdf", PDF_BYTES, "application/pdf")},
    )

    assert response.status_code in (200, 302)
    attachment = proposal.attachments.get(original_name="selvitys.pdf")
    # The world's own attachment (liite.pdf) went to the store too.
    assert bucket() == {
        stored.file.name: PDF_BYTES for stored in proposal.attachments.all()
    }
    download = client.get(
        reverse(
            "theme_proposals:proposal_attachment_download",
            args=[proposal.pk, attachment.pk],
        )
    )
    assert assert_private_download(download, filename="selvitys.pdf") == PDF_BYTES
    page = client.get(proposal.get_absolute_url()).content.decode()
    assert s3_endpoint not in page
    assert "X-Amz-" not in page


def test_a_job_result_is_stored_in_the_store_and_downloaded_through_the_app(
    bucket, client, db
):
    owner = UserFactory()
    job = Job.objects.create(kind="ping", task_name="alliance.ping", requested_by=owner)

    job_run(job_id=job.pk, work=lambda _job: ContentFile(b"%PDF-", name="doc.pdf"))

    job.refresh_from_db()
    assert bucket() == {job.result.name: b"%PDF-"}
    client.force_login(owner)
    response = client.get(reverse("alliance:job_download", args=[job.pk]))
    assert assert_private_download(response, filename="doc.pdf") == b"%PDF-"
