# regelsjekk's HTTP API (`regelsjekk serve`) in a container.
#
#   docker build -t regelsjekk .
#   docker run -p 8000:8000 -v /srv/regelsjekk:/data:ro regelsjekk
#
# The knowledge base is a file on a volume (REGELSJEKK_DB), imported outside the container with
# `regelsjekk import` (which swaps the file atomically); without it the built-in one answers.
# Many replicas may read one file. See README, "HTTP API: regelsjekk serve".
FROM python:3.11-slim

ENV PYTHONDONTWRITEBYTECODE=1 \
    PYTHONUNBUFFERED=1 \
    PIP_NO_CACHE_DIR=1 \
    REGELSJEKK_DB=/data/kunnskapsbase.sqlite \
    XDG_CACHE_HOME=/var/cache/regelsjekk

WORKDIR /src
COPY pyproject.toml README.md ./
COPY src ./src
COPY rules ./rules
COPY examples ./examples
RUN pip install . \
    && useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin regelsjekk \
    && mkdir -p /data /var/cache/regelsjekk \
    && chown regelsjekk /var/cache/regelsjekk \
    && rm -rf /src

USER regelsjekk
WORKDIR /
EXPOSE 8000
# Each worker opens the knowledge base and warms its indexes before it accepts requests (seconds).
HEALTHCHECK --interval=30s --timeout=5s --start-period=120s \
    CMD python -c "import urllib.request; urllib.request.urlopen('http://127.0.0.1:8000/v1/status', timeout=4)"
# One worker per core; the limits are per worker (regelsjekk serve --help).
CMD ["regelsjekk", "serve", "--host", "0.0.0.0", "--port", "8000", "--workers", "2"]
