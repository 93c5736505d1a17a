/* CKEditor 4 plugin: insert a picture from the image library as <img data-image="ID" alt="…" class="full|half">.
 *
 * The button opens the library in Django's related-object popup (search, tags, thumbnails,
 * "Add image" with its alt text). The choice comes back through the popup's usual call
 * (dismissRelatedLookupPopup / dismissAddRelatedObjectPopup, which fill a hidden input and
 * fire a jQuery "change"); a dialog then asks the alt text for this use (the library's by
 * default), "decorative", and the width. The page renders the reference from the library.
 */
/* global CKEDITOR, django */
'use strict';
CKEDITOR.plugins.add('libraryimage', {
    requires: 'dialog',
    init: function(editor) {
        const inputId = 'libraryimage_' + editor.name;
        let chosen = null;  // the library's facts about the image being inserted

        function hiddenInput() {
            let input = document.getElementById(inputId);
            if (!input) {
                input = document.createElement('input');
                input.type = 'hidden';
                input.id = inputId;
                document.body.appendChild(input);
                django.jQuery(input).on('change', function() {
                    const url = editor.config.libraryimage_infoUrl.replace(/\/0\/info\/$/, '/' + input.value + '/info/');
                    fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
                        .then((response) => (response.ok ? response.json() : null))
                        .then((info) => {
                            if (info) {
                                chosen = info;
                                editor.openDialog('libraryimage');
                            }
                        });
                });
            }
            return input;
        }

        editor.addCommand('libraryimage', {
            allowedContent: 'img[!data-image,alt,src](full,half)',
            requiredContent: 'img[data-image]',
            exec: function() {
                hiddenInput();
                // A link shaped as the admin's own lookup links, so its popup machinery is reused.
                const link = document.createElement('a');
                link.id = 'lookup_' + inputId;
                link.href = editor.config.libraryimage_chooserUrl;
                window.showRelatedObjectLookupPopup(link);
            }
        });
        editor.ui.addButton('LibraryImage', {
            label: 'Insert an image from the library',
            command: 'libraryimage',
            toolbar: 'insert',
            icon: this.path + 'icon.png'
        });

        CKEDITOR.dialog.add('libraryimage', function() {
            return {
                title: 'Insert an image from the library',
                minWidth: 420,
                minHeight: 160,
                contents: [{
                    id: 'main',
                    elements: [
                        {type: 'html', id: 'preview', html: '<div class="libraryimage-preview"></div>'},
                        {type: 'text', id: 'alt', label: 'Alt text for this use (describe the picture)'},
                        {type: 'checkbox', id: 'decorative', label: 'Decorative: it adds nothing to the text (no alt text)'},
                        {
                            type: 'radio', id: 'size', label: 'Width',
                            items: [['Full width', 'full'], ['Half width', 'half']], 'default': 'full'
                        }
                    ]
                }],
                onShow: function() {
                    const box = this.getContentElement('main', 'preview').getElement();
                    box.setHtml('');
                    if (!chosen) {
                        return;
                    }
                    const img = new CKEDITOR.dom.element('img');
                    img.setAttribute('src', chosen.thumbnail);
                    img.setAttribute('alt', '');
                    img.setStyles({'max-width': '160px', 'max-height': '100px'});
                    box.append(img);
                    box.appendText(' ' + chosen.title);
                    this.setValueOf('main', 'alt', chosen.decorative ? '' : chosen.alt);
                    this.setValueOf('main', 'decorative', chosen.decorative);
                    this.setValueOf('main', 'size', 'full');
                },
                onOk: function() {
                    if (!chosen) {
                        return;
                    }
                    const decorative = this.getValueOf('main', 'decorative');
                    const alt = decorative ? '' : this.getValueOf('main', 'alt').trim();
                    if (!decorative && !alt) {
                        alert('Describe the image, or tick “decorative” if it adds nothing.');
                        return false;
                    }
                    const img = editor.document.createElement('img');
                    img.setAttribute('data-image', String(chosen.id));
                    img.setAttribute('alt', alt);
                    img.setAttribute('src', chosen.thumbnail);
                    img.addClass(this.getValueOf('main', 'size') === 'half' ? 'half' : 'full');
                    editor.insertElement(img);
                    chosen = null;
                }
            };
        });
    }
});
