"""The web face: the Flask app (JSON API and web page), its OpenAPI document, and gunicorn serving."""
