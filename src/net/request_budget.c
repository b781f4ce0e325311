/* request_budget: the token bucket of the console's requests to Vault (see
 * the header). */
#include "net/request_budget.h"

void request_budget_init(struct request_budget *b, double rate, double cap, double debt_s,
                         long long now_ms)
{
    b->rate = rate > 0 ? rate : 0;
    b->cap = cap >= 1 ? cap : 1;
    b->floor = debt_s > 0 ? -b->rate * debt_s : 0;
    b->tokens = b->cap;
    b->at_ms = now_ms;
}

void request_budget_refill(struct request_budget *b, long long now_ms)
{
    if (now_ms > b->at_ms)
        b->tokens += b->rate * (double)(now_ms - b->at_ms) / 1000.0;
    b->at_ms = now_ms > b->at_ms ? now_ms : b->at_ms;
    if (b->tokens > b->cap)
        b->tokens = b->cap;
}

void request_budget_charge(struct request_budget *b, double n)
{
    b->tokens -= n;
    if (b->tokens < b->floor)
        b->tokens = b->floor;
}

size_t request_budget_spare(const struct request_budget *b)
{
    return b->tokens >= 1 ? (size_t)b->tokens : 0;
}
