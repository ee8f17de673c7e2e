"""Laptops: battery (:mod:`.battery`), disks and their health (:mod:`.disks`), and inventory (:mod:`.inventory`),
read from sysfs and the machine's own tools through an injectable command runner (:mod:`.runner`).
"""
