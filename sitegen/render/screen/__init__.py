"""Lobby screens: full-screen slides that rotate unattended (see themes/default/assets/screen.js)."""
