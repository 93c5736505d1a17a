"""Background tasks of the image library: cutting image renditions (django-tasks)."""

from django_tasks import task

from library import services


@task()
def make_image_renditions(image_id, name):
    """Cut an image's renditions; a page never does this, and never waits for it."""
    services.image_renditions_make(image_id=image_id, name=name)


@task()
def process_image_upload(image_id, name):
    """Strip an editor's upload of its metadata and make its renditions, off the request."""
    services.image_process(image_id=image_id, name=name)
