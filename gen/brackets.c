// SPDX-License-Identifier: GPL-2.0
/*
 * cowrap-gen: bracket matching for the item splitter (items.c).
 *
 * The open brackets of the current item form a stack whose entries are
 * never changed once pushed (a pop only moves the top), so the state at
 * any point is one pointer and saving or restoring it costs O(1).  That
 * is what preprocessor branches need: C code may open a bracket in each
 * branch of a conditional and close it once after it,
 *
 *	#if NEW_API
 *		x = f(a, b,
 *	#else
 *		x = g(a,
 *	#endif
 *		      c);
 *
 * so every #elif/#else restarts from the state at its #if, and #endif
 * continues with the state at the end of the first branch.  The stack
 * lives in the item's scratch arena; a state saved in an earlier item
 * stands for "no open bracket" (every item ends with none).
 */
#include <stdlib.h>

#include "parse.h"

struct bnode {
	struct bnode *up;
	int index;		/* of the opening bracket in the item */
	int depth;		/* brackets open with it, itself included */
	char punct;
};

/* a saved stack state: valid in the item it was saved in */
struct bstate {
	struct bnode *top;
	unsigned long item;
};

/*
 * The open groups, innermost last.  A deep nest of #if in which nothing
 * changes the brackets costs one entry: consecutive groups that opened in
 * the same state and have no #else/#elif yet share it (@count).
 */
struct bsnap {
	struct bstate at_if;	/* where the group opened */
	struct bstate first;	/* where its first branch ended */
	bool has_first;
	size_t count;		/* groups it stands for (1 when has_first) */
};

static struct bstate save(const struct brackets *b)
{
	/* nothing open is the same state in every item */
	struct bstate s = { b->top, b->top ? b->item : 0 };

	return s;
}

static bool same_state(struct bstate x, struct bstate y)
{
	return x.top == y.top && x.item == y.item;
}

static void restore(struct brackets *b, struct bstate s)
{
	b->top = s.item == b->item ? s.top : NULL;
	b->depth = b->top ? b->top->depth : 0;
}

/**
 * brackets_reset() - start a new item (or the space between two): nothing open
 * @b: bracket state
 */
void brackets_reset(struct brackets *b)
{
	b->item++;
	b->top = NULL;
	b->depth = 0;
}

/**
 * brackets_open() - an opening bracket
 * @b: bracket state
 * @a: the item's scratch arena
 * @index: its index in the item
 * @punct: '(', '[' or '{'
 */
void brackets_open(struct brackets *b, struct arena *a, int index, char punct)
{
	struct bnode *n = arena_alloc_raw(a, sizeof(*n));

	n->up = b->top;
	n->index = index;
	n->depth = b->depth + 1;
	n->punct = punct;
	b->top = n;
	b->depth = n->depth;
}

/**
 * brackets_close() - a closing bracket
 * @b: bracket state
 * @punct: ')', ']' or '}'
 *
 * Return: the index of the bracket it closes; -1 when nothing is open
 * (the closing bracket is unbalanced); when the innermost open bracket is
 * of another kind, -2 - its index (that one is unbalanced).
 */
int brackets_close(struct brackets *b, char punct)
{
	struct bnode *n = b->top;
	char want;

	if (!n)
		return -1;
	want = bracket_closer(n->punct);
	if (want != punct)
		return -2 - n->index;
	b->top = n->up;
	b->depth = n->depth - 1;
	return n->index;
}

/**
 * brackets_innermost() - the innermost open bracket
 * @b: bracket state
 *
 * Return: its index in the item, or -1 when none is open.
 */
int brackets_innermost(const struct brackets *b)
{
	return b->top ? b->top->index : -1;
}

/* a new innermost entry for one group opened in state @at_if */
static struct bsnap *snap_new(struct brackets *b, struct bstate at_if)
{
	struct bsnap *s;

	if (b->nsnaps == b->cap) {
		size_t cap = b->cap ? b->cap * 2 : 16;

		s = realloc(b->snaps, sizeof(*s) * cap);
		if (!s)
			diag_fatal("out of memory");
		b->snaps = s;
		b->cap = cap;
	}
	s = &b->snaps[b->nsnaps++];
	s->at_if = at_if;
	s->has_first = false;
	s->count = 1;
	return s;
}

/* a group opens: share the innermost entry if it can be shared */
static void snap_push(struct brackets *b)
{
	struct bstate at_if = save(b);
	struct bsnap *s = b->nsnaps ? &b->snaps[b->nsnaps - 1] : NULL;

	if (s && !s->has_first && same_state(s->at_if, at_if))
		s->count++;
	else
		snap_new(b, at_if);
}

/**
 * brackets_directive() - a conditional directive (after cond_directive())
 * @b: bracket state
 * @kind: what it did; COND_OTHER and errors change nothing
 */
void brackets_directive(struct brackets *b, int kind)
{
	struct bsnap *s;

	if (kind == COND_IF) {
		snap_push(b);
		return;
	}
	if ((kind != COND_ELSE && kind != COND_ENDIF) || !b->nsnaps)
		return;
	s = &b->snaps[b->nsnaps - 1];
	if (kind == COND_ELSE) {
		if (!s->has_first && s->count > 1) {	/* the innermost alone */
			s->count--;
			s = snap_new(b, s->at_if);
		}
		if (!s->has_first) {
			s->first = save(b);
			s->has_first = true;
		}
		restore(b, s->at_if);
		return;
	}
	if (s->has_first)
		restore(b, s->first);
	if (!--s->count)
		b->nsnaps--;
}

/**
 * brackets_free() - release the state's memory (the nodes are in the arena)
 * @b: bracket state
 */
void brackets_free(struct brackets *b)
{
	free(b->snaps);
	b->snaps = NULL;
	b->nsnaps = b->cap = 0;
}
