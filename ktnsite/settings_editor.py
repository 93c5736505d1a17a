"""The rich-text editor's configuration (django-ckeditor), for ktnsite.settings: a short
toolbar, and only the markup publishing.richtext keeps anyway."""

EDITOR_CONFIG = {
    "toolbar": "News",
    "toolbar_News": [
        ["Format"],
        ["Bold", "Italic"],
        ["Link", "InternalLink", "Unlink"],
        ["BulletedList", "NumberedList", "Blockquote"],
        ["Table", "LibraryImage"],
        ["RemoveFormat"],
        ["Source"],
    ],
    "format_tags": "p;h2;h3;h4",
    "height": 360,
    "width": "100%",
    # Keep pasted Word / web markup down to what the sanitiser allows anyway.
    "forcePasteAsPlainText": False,
    "pasteFromWordRemoveFontStyles": True,
    # No spelling service that sends the text elsewhere (scayt, wsc): the browser's own
    # spellcheck underlines mistakes instead (Ctrl + right-click for its suggestions).
    "removePlugins": "exportpdf,scayt,wsc",
    "disableNativeSpellChecker": False,
    "allowedContent": (
        "p h2 h3 h4 strong em b i u blockquote ul ol li br hr sub sup figcaption;"
        # A gallery's classes (publishing.richtext.ALLOWED_CLASSES), kept on re-saving.
        "figure(gallery,columns-1,columns-2,columns-3,columns-4);"
        "a[!href,title];table thead tbody tfoot tr caption;th td[colspan,rowspan,scope];"
        # Images only as library references (publishing.richtext); src is for display.
        "img[!data-image,alt,src](full,half)"
    ),
    "disallowedContent": "*[style]; *[on*]",
}
