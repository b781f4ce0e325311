/* view_orders: the order list, the first view (ui/view.h): the list with
 * its columns (pane_orders), the selected order's detail (pane_detail) and
 * challenges (pane_challenges); the keys that act on an order or a
 * challenge (fulfil, check, serve, copy, certificate, new order, revoke);
 * the focus hint that makes the engine read the order on screen first; and
 * the debounced fetch of the challenge under the cursor. */
#ifndef ACMETOP_UI_VIEW_ORDERS_H
#define ACMETOP_UI_VIEW_ORDERS_H

#include "ui/view.h"

extern const struct view_ops view_orders;

#endif
