/* CKEditor 4 plugin: "Link to our content". A dialog finds posts, reports, contacts and topics
 * by title (publishing.desk.link_search, staff-only JSON) and links the selected words, or
 * inserts the item's title as a link, to its stable address (/go/<kind>/<id>/, which
 * follows the item if its slug changes). Results are built from text, never from HTML.
 */
/* global CKEDITOR */
'use strict';
CKEDITOR.plugins.add('internallink', {
    requires: 'dialog',
    init: function(editor) {
        editor.addCommand('internallink', new CKEDITOR.dialogCommand('internallink', {
            allowedContent: 'a[!href]',
            requiredContent: 'a[href]'
        }));
        editor.ui.addButton('InternalLink', {
            label: 'Link to our content',
            command: 'internallink',
            toolbar: 'links'
        });

        function link(dialog, result) {
            const selected = editor.getSelection();
            const text = selected ? selected.getSelectedText().trim() : '';
            if (text) {
                const style = new CKEDITOR.style({element: 'a', attributes: {href: result.url}});
                style.type = CKEDITOR.STYLE_INLINE;
                editor.applyStyle(style);
            } else {
                const anchor = editor.document.createElement('a');
                anchor.setAttribute('href', result.url);
                anchor.setText(result.title);
                editor.insertElement(anchor);
            }
            editor.fire('change');
            dialog.hide();
        }

        CKEDITOR.dialog.add('internallink', function() {
            let timer = null;
            let asked = 0;
            return {
                title: 'Link to our content',
                minWidth: 460,
                minHeight: 220,
                contents: [{
                    id: 'main',
                    elements: [
                        {
                            type: 'text', id: 'q',
                            label: 'Find a post, report, contact or topic by its title'
                        },
                        {type: 'html', id: 'results', html: '<div class="internallink-results" role="status" aria-live="polite"></div>'}
                    ]
                }],
                buttons: [CKEDITOR.dialog.cancelButton],
                onLoad: function() {
                    const dialog = this;
                    // "input", not keyup: pasting and dictation search too.
                    this.getContentElement('main', 'q').getInputElement().on('input', function() {
                        window.clearTimeout(timer);
                        timer = window.setTimeout(function() { search(dialog); }, 250);
                    });
                },
                onShow: function() {
                    this.setValueOf('main', 'q', '');
                    this.getContentElement('main', 'results').getElement().setHtml('');
                }
            };

            function search(dialog) {
                const query = dialog.getValueOf('main', 'q').trim();
                const box = dialog.getContentElement('main', 'results').getElement().$;
                if (query.length < 2) {
                    box.textContent = '';
                    return;
                }
                const ticket = ++asked;
                const url = editor.config.internallink_searchUrl + '?q=' + encodeURIComponent(query);
                fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
                    .then((response) => response.json())
                    .then((answer) => {
                        if (ticket !== asked) {
                            return;  // a later search has been asked for
                        }
                        box.textContent = '';
                        if (answer.error) {
                            box.textContent = answer.error;
                            return;
                        }
                        if (!answer.results.length) {
                            box.textContent = 'Nothing has that in its title.';
                            return;
                        }
                        const list = document.createElement('ul');
                        list.className = 'internallink-list';
                        answer.results.forEach(function(result) {
                            const item = document.createElement('li');
                            const button = document.createElement('button');
                            button.type = 'button';
                            button.className = 'internallink-choice';
                            button.textContent = result.title;
                            const facts = document.createElement('span');
                            facts.textContent = ' — ' + result.kind + (result.live ? '' : ' (readers cannot see it yet)');
                            button.appendChild(facts);
                            button.addEventListener('click', function() { link(dialog, result); });
                            item.appendChild(button);
                            list.appendChild(item);
                        });
                        box.appendChild(list);
                    })
                    .catch(function() { box.textContent = 'The search did not answer; try again.'; });
            }
        });
    }
});
