"""A development-only web page to chat as a resident (filled in by the simulator work)."""
from flask import Blueprint

bp = Blueprint("simulator", __name__, url_prefix="/dev/simulator")
