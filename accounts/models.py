"""No models of its own: users and groups are Django's, roles are groups (accounts/roles.py).

The module exists so that Django sends this app post_migrate (accounts/apps.py).
"""
