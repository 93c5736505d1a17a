"""The CMS kernel every content app builds on: publishable content, rich text, images, sharing."""
