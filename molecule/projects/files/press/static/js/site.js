// The project's own script, in BASE_DIR/static (STATICFILES_DIRS).
document.documentElement.dataset.pressReady = "yes";
