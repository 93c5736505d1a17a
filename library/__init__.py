"""The image library: pictures uploaded once (checked, cleaned, renditions cut), tagged, chosen and placed in rich text."""
