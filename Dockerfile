FROM python:3.11-slim-bookworm

# WeasyPrint renders with Pango; gettext compiles the translations.
RUN apt-get update \
 && apt-get install -y --no-install-recommends \
      libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0 fonts-dejavu-core gettext \
 && rm -rf /var/lib/apt/lists/*

ENV PYTHONDONTWRITEBYTECODE=1 PYTHONUNBUFFERED=1
WORKDIR /app

COPY . .
# Editable, so that the code runs from /app beside templates/ and static/.
RUN pip install --no-cache-dir -e . \
 && DEBUG=1 python manage.py compilemessages --ignore 'node_modules/*' -v0 \
 && DEBUG=1 python manage.py collectstatic --no-input -v0

RUN useradd --create-home mipr && mkdir -p var/media && chown -R mipr var
USER mipr
EXPOSE 8000
CMD ["gunicorn", "mipr.wsgi:application", "--bind", "0.0.0.0:8000", "--workers", "3"]
