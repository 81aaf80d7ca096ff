"""The data-plane agent: one stdlib-only program per instance.

Only the standard library and modules of this package (relative imports) may be
imported here: the package is shipped as a zipapp (``squall.dataplane.bundle``) into
instances that have nothing but a Python 3 interpreter.
"""
