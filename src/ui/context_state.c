/* context_state: contexts as the console sees them (see context_state.h). */
#include "ui/context_state.h"

#include <stdlib.h>
#include <string.h>

#include "model/xalloc.h"
#include "ui/console_state.h"

/* The header and the detail read c->cfg: point its Vault fields at the
 * context's own. */
static void show_context(struct console_state *c)
{
    if (c->cfg && c->cfg != &c->shown)
        c->shown = *c->cfg;
    c->cfg = &c->shown;
    const struct context_info *x = &c->context;
    c->shown.addr = x->addr;
    c->shown.context = x;
    if (x->home < x->place_count) { /* where roles, accounts, DNS providers and new
                                       orders go: the engine says which */
        c->shown.namespace_ = x->places[x->home].namespace_;
        c->shown.mount = x->places[x->home].mount;
    }
}

size_t context_state_apply(struct console_state *c, const struct msg *m)
{
    const struct context_info *x = &m->u.context;
    bool switched = c->context.generation && c->context.generation != x->generation;
    size_t old_places = c->context.place_count;
    context_info_free(&c->context);
    context_info_copy(&c->context, x);
    show_context(c);
    c->dirty = true;
    return switched ? (old_places ? old_places : 1) : 0;
}

static struct context_seen *seen_of(struct console_state *c, const char *name)
{
    for (size_t i = 0; i < c->seen_count; i++)
        if (strcmp(c->seen[i].name, name) == 0)
            return &c->seen[i];
    c->seen = xrealloc(c->seen, (c->seen_count + 1) * sizeof *c->seen);
    struct context_seen *s = &c->seen[c->seen_count++];
    s->name = xstrdup(name);
    s->at = 0;
    return s;
}

void context_state_note_connection(struct console_state *c, enum conn_state state, time_t now)
{
    if (!c->context.name)
        return;
    struct context_seen *s = seen_of(c, c->context.name);
    s->state = state;
    s->at = now;
}

const struct context_seen *context_state_seen(const struct console_state *c, const char *name)
{
    for (size_t i = 0; i < c->seen_count; i++)
        if (strcmp(c->seen[i].name, name) == 0)
            return &c->seen[i];
    return NULL;
}

const char *context_state_watched(const struct console_state *c, bool mount)
{
    const struct context_info *x = &c->context;
    if (!x->place_count)
        return mount ? (c->cfg && c->cfg->mount ? c->cfg->mount : "")
                     : (c->cfg && c->cfg->namespace_ ? c->cfg->namespace_ : "");
    for (size_t i = 1; i < x->place_count; i++)
        if (strcmp(mount ? x->places[i].mount : x->places[i].namespace_,
                   mount ? x->places[0].mount : x->places[0].namespace_) != 0)
            return "*";
    return mount ? x->places[0].mount : x->places[0].namespace_;
}

const char *context_state_namespace(const struct console_state *c, unsigned place)
{
    if (place >= c->context.place_count)
        return "";
    return c->context.places[place].namespace_;
}

const char *context_state_mount(const struct console_state *c, unsigned place)
{
    if (place >= c->context.place_count)
        return "";
    return c->context.places[place].mount;
}

void context_state_free(struct console_state *c)
{
    console_state_ns_free(c);
    context_info_free(&c->context);
    for (size_t i = 0; i < c->seen_count; i++)
        free(c->seen[i].name);
    free(c->seen);
    c->seen = NULL;
    c->seen_count = 0;
}

void console_state_ns_free(struct console_state *c)
{
    for (size_t i = 0; i < c->ns.count; i++) {
        free(c->ns.items[i].namespace_);
        free(c->ns.items[i].mount);
    }
    free(c->ns.items);
    free(c->ns.error);
    c->ns.items = NULL;
    c->ns.error = NULL;
    c->ns.count = 0;
}
