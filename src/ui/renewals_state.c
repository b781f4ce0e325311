/* renewals_state: the console's renewal index (see renewals_state.h). */
#include "ui/renewals_state.h"

#include "model/renew_index.h"

void renewals_init(struct renewals *r)
{
    r->index = renew_index_new();
    r->generation = 0;
    r->next_change = 0;
    r->built_ms = 0;
    r->gap_ms = 0;
    r->hide_superseded = false;
}

void renewals_free(struct renewals *r)
{
    renew_index_free(r->index);
    r->index = NULL;
}
