"""What every download of a stored file must look like, whichever page serves it."""


def assert_private_download(response, *, filename: str) -> bytes:
    """Check the headers of a stored file's download and return its content."""
    assert response.status_code == 200
    assert response["Content-Disposition"] == f'attachment; filename="{filename}"'
    assert response["Cache-Control"] == "private, no-store"
    assert response["Content-Security-Policy"] == "default-src 'none'; sandbox"
    assert response["X-Content-Type-Options"] == "nosniff"
    return b"".join(response.streaming_content)
