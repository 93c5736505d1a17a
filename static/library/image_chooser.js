/* The image chooser in the admin: shows the chosen library image after Django's popup sets its id. */
'use strict';
{
    const $ = django.jQuery;

    function show(chooser, info) {
        // No <img> while nothing is chosen: one without an address is invalid HTML.
        let preview = chooser.querySelector('.image-chooser__preview');
        const title = chooser.querySelector('.image-chooser__title');
        const clear = chooser.querySelector('.image-chooser__clear');
        const state = chooser.querySelector('.image-chooser__state');
        if (state) {
            // "Processing…" until the worker has cleaned the upload, or why it failed.
            state.textContent = info ? info.state_note || '' : '';
        }
        if (!info || !info.thumbnail) {
            if (preview) {
                preview.remove();
            }
            if (!info) {
                title.textContent = 'No image chosen.';
                clear.hidden = true;
                return;
            }
        }
        if (info && !info.thumbnail) {
            title.textContent = info.decorative ? info.title + ' (decorative)' : info.title + ': “' + info.alt + '”';
            clear.hidden = false;
            return;
        }
        if (!preview) {
            preview = document.createElement('img');
            preview.className = 'image-chooser__preview';
            preview.alt = '';
            chooser.prepend(preview);
        }
        preview.src = info.thumbnail;
        title.textContent = info.decorative ? info.title + ' (decorative)' : info.title + ': “' + info.alt + '”';
        clear.hidden = false;
    }

    function refresh(input) {
        const chooser = input.closest('.image-chooser');
        const id = input.value.trim();
        if (!/^\d+$/.test(id)) {
            show(chooser, null);
            return;
        }
        const url = chooser.dataset.infoUrl.replace(/\/0\/info\/$/, '/' + id + '/info/');
        fetch(url, {credentials: 'same-origin', headers: {Accept: 'application/json'}})
            .then((response) => (response.ok ? response.json() : null))
            .then((info) => show(chooser, info))
            .catch(() => show(chooser, null));
    }

    // Django's popups announce a choice with a jQuery "change" event, which native listeners miss.
    $(document).on('change', '.image-chooser input', function() {
        refresh(this);
    });
    // A recent image is picked as a popup's choice is: the id set and announced, so the
    // thumbnail and title follow and the form knows it changed (autosave, leave prompt).
    $(document).on('click', '.image-chooser__pick', function() {
        const input = this.closest('.image-chooser').querySelector('input');
        input.value = this.value;
        $(input).trigger('change');
    });
    // The recent images need this script: shown only once it runs.
    $(function() {
        document.querySelectorAll('.image-chooser__recent').forEach((strip) => {
            strip.hidden = false;
        });
    });
    $(document).on('click', '.image-chooser__clear', function() {
        const input = this.closest('.image-chooser').querySelector('input');
        input.value = '';
        // Announced as a popup's choice is, so the form knows it changed (autosave, leave prompt).
        $(input).trigger('change');
    });
}
