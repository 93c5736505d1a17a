/* The library image form: clicking the preview sets the focal point fields (percent across, down). */
'use strict';
document.addEventListener('click', (event) => {
    const preview = event.target.closest('img.image-preview');
    const across = document.getElementById('id_focal_x');
    const down = document.getElementById('id_focal_y');
    if (!preview || !across || !down) {
        return;
    }
    const box = preview.getBoundingClientRect();
    across.value = Math.round(100 * (event.clientX - box.left) / box.width);
    down.value = Math.round(100 * (event.clientY - box.top) / box.height);
});
