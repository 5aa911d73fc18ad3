# Pith's backend (`pith serve`): the JSON API and the web page. See docs/backend.md.
#   docker build -t pith .  &&  docker run --rm -p 127.0.0.1:8000:8000 -v pith-data:/data pith
FROM python:3.12-slim AS build
ENV PIP_NO_CACHE_DIR=1 PIP_DISABLE_PIP_VERSION_CHECK=1
WORKDIR /src
COPY pyproject.toml README.md ./
COPY server ./server
COPY bot ./bot
RUN python -m venv /opt/pith && /opt/pith/bin/pip install --quiet .

FROM python:3.12-slim
LABEL org.opencontainers.image.title="Pith" \
      org.opencontainers.image.description="The pith of a news page: clean text, summary, key facts and quotes."
# libpq: the library's PostgreSQL driver (psycopg) needs it when PITH_DATABASE_URL is set
RUN apt-get update && apt-get install -y --no-install-recommends libpq5 && rm -rf /var/lib/apt/lists/*
RUN useradd --system --uid 10001 --home-dir /data --shell /usr/sbin/nologin pith \
 && mkdir -p /data && chown pith /data
COPY --from=build /opt/pith /opt/pith
ENV PATH=/opt/pith/bin:$PATH \
    PYTHONUNBUFFERED=1 \
    PITH_HOST=0.0.0.0 \
    PITH_PORT=8000 \
    PITH_DATA_DIR=/data
USER pith
WORKDIR /data
VOLUME ["/data"]
EXPOSE 8000
HEALTHCHECK --interval=30s --timeout=5s --start-period=20s --retries=3 \
  CMD ["python", "-c", "import os, urllib.request; urllib.request.urlopen('http://127.0.0.1:%s/healthz' % os.environ.get('PITH_PORT', '8000'), timeout=4)"]
# SIGTERM stops gunicorn gracefully (in-flight requests finish, up to 20 s).
STOPSIGNAL SIGTERM
CMD ["pith", "serve"]
