/* dialog: the modal box and the one interface every dialog and flow
 * implements (fulfil, new order, revoke, certificate view...).
 *
 * A flow keeps its own state in its own file, in a struct whose first
 * member is a `struct dialog` (the box's content: title, wrapped body,
 * picker, text field, note, answers line), opens it with dialog_new() and
 * console_state_dialog_show(), and gives it a `struct dialog_ops`:
 *   key        every key while the dialog is open (it is modal);
 *   on_update  every update from the engine, after the console applied it
 *              to its own state; true when the update was the dialog's
 *              (then the console does not also report it on the message line);
 *   draw       NULL for the standard box (dialog_draw_box);
 *   close      frees what the flow's struct owns beyond the box (the box
 *              and the struct itself are freed by the console).
 * The console holds a pointer to the open dialog and never asks which kind
 * it is. */
#ifndef ACMETOP_UI_DIALOG_H
#define ACMETOP_UI_DIALOG_H

#include <stdbool.h>
#include <stddef.h>

#include "ui/filter_input.h"
#include "ui/picker.h"

struct console_state;
struct dialog;
struct msg;

struct dialog_ops {
    const char *name; /* for tests and debugging: "fulfill", "revoke", ... */
    bool (*key)(struct console_state *c, struct dialog *d, int key);
    bool (*on_update)(struct console_state *c, struct dialog *d, struct msg *m);
    void (*draw)(struct dialog *d, int cols, int rows);
    void (*close)(struct dialog *d);
};

struct dialog {
    const struct dialog_ops *ops;
    char *title;
    char *body;                 /* may hold '\n' */
    size_t scroll;              /* first body line shown (long bodies) */
    char *answers;              /* the answers line */
    char *note;                 /* a line under the body (validation, progress), or NULL */
    bool note_error;
    bool input_on;              /* a text field under the body */
    char *prompt;               /* its label */
    struct filter_input input;
    bool input_masked;          /* a secret: drawn as '*', never as typed */
    bool picker_on;             /* a list to choose from under the body */
    struct picker picker;
};

/* A zeroed flow struct of `size` bytes (>= sizeof(struct dialog)) whose
 * first member is the box, with ops and a title. */
struct dialog *dialog_new(const struct dialog_ops *ops, size_t size, const char *title);
/* ops->close, then the box's texts, then d itself. NULL is fine. */
void dialog_free(struct dialog *d);

/* Replace the body / answers / note / title (printf-style; note NULL clears). */
void dialog_body(struct dialog *d, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void dialog_answers(struct dialog *d, const char *text);
void dialog_note(struct dialog *d, bool error, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void dialog_title(struct dialog *d, const char *title);
/* Show a text field labelled prompt (emptied), or hide it. */
void dialog_input(struct dialog *d, const char *prompt);
void dialog_input_off(struct dialog *d);
/* Scroll the body with j/k and the arrows; true if the key was one of them. */
bool dialog_scroll_key(struct dialog *d, int key);

/* Paint d: ops->draw, else the standard box. */
void dialog_draw(struct dialog *d, int cols, int rows);
void dialog_draw_box(struct dialog *d, int cols, int rows);

#endif
