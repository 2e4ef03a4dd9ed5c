// SPDX-License-Identifier: Apache-2.0
/*
 * Stage-2 translation tables of one VM: map, unmap, protect and walk, with break-before-make on
 * every live entry. Lock order: s2->lock, then pool->lock (taken inside page_alloc/page_free).
 * Table pages come from the pool and are used through their physical address (PA == VA at EL2).
 */
#include "hyp/stage2.h"

#include "hyp/arch/pgtable.h"
#include "hyp/errno.h"
#include "hyp/string.h"

#define S2_IPA_LIMIT BIT(STAGE2_IPA_BITS)
#define S2_OA_LIMIT BIT(48)

enum s2_op { S2_OP_MAP, S2_OP_UNMAP, S2_OP_PROTECT };

/* One request walked over the tables: where it started, and for a map which pa goes there. */
struct s2_req {
	enum s2_op op;
	uint64_t ipa0;
	uint64_t pa0;
	unsigned attr;
};

static int walk(struct stage2 *s2, uint64_t table, unsigned level, uint64_t start, uint64_t end,
		const struct s2_req *rq);

static uint64_t *table_of(uint64_t pa)
{
	return (uint64_t *)(uintptr_t)pa;
}

static uint64_t pte_read(const uint64_t *ptep)
{
	return __atomic_load_n(ptep, __ATOMIC_RELAXED);
}

/* One 64-bit store: the hardware walker must never observe a torn descriptor. */
static void pte_write(uint64_t *ptep, uint64_t pte)
{
	__atomic_store_n(ptep, pte, __ATOMIC_RELAXED);
}

static int table_alloc(struct stage2 *s2, uint64_t *pa)
{
	hpa_t t;
	int ret = page_alloc(s2->pool, 1, 1, &t);

	if (ret != 0) {
		return ret;
	}
	memset(table_of(t.v), 0, PAGE_SIZE);
	*pa = t.v;
	return 0;
}

/* Free the tables below a table at level; the caller has already unlinked and invalidated it. */
static void table_free_children(struct stage2 *s2, uint64_t pa, unsigned level)
{
	uint64_t *t = table_of(pa);

	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		if (arch_s2pte_is_table(t[i], level)) {
			uint64_t child = arch_s2pte_addr(t[i]);

			table_free_children(s2, child, level + 1);
			page_free(s2->pool, hpa(child), 1);
			s2->table_pages--;
		}
	}
}

static bool table_is_empty(uint64_t pa)
{
	const uint64_t *t = table_of(pa);

	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		if (arch_s2pte_is_valid(t[i])) {
			return false;
		}
	}
	return true;
}

/*
 * Install pte (0 = none) at ptep, which translates ipa at level. A valid old entry is broken
 * first (break-before-make, ARM DDI0487 K.a D8.14.1), and a table it pointed to is freed.
 */
static void pte_replace(struct stage2 *s2, uint64_t *ptep, uint64_t ipa, unsigned level,
			uint64_t pte)
{
	uint64_t old = pte_read(ptep);

	if (old == pte) {
		return;
	}
	if (arch_s2pte_is_valid(old)) {
		pte_write(ptep, 0);
		/* The invalid entry must be visible to the walker before the TLBI. */
		arch_pgtable_sync();
		if (level == ARCH_S2_LAST_LEVEL) {
			arch_stage2_tlbi_ipa(s2->vmid, gpa(ipa));
		} else {
			/* A block or a table: drop cached walks for everything below it too. */
			arch_stage2_tlbi_vmid(s2->vmid);
		}
		if (arch_s2pte_is_table(old, level)) {
			uint64_t sub = arch_s2pte_addr(old);

			table_free_children(s2, sub, level + 1);
			page_free(s2->pool, hpa(sub), 1);
			s2->table_pages--;
		}
	}
	if (pte != 0) {
		pte_write(ptep, pte);
		/* Publish the new entry before the guest runs again. */
		arch_pgtable_sync();
	}
}

/* Fill a new table at level with the pages or blocks that make up block. */
static void table_fill_split(uint64_t table, uint64_t block, unsigned level)
{
	uint64_t *t = table_of(table);
	uint64_t pa = arch_s2pte_addr(block), sz = arch_s2_level_size(level);
	unsigned attr = arch_s2pte_attr(block);

	for (unsigned i = 0; i < ARCH_PT_ENTRIES; i++) {
		t[i] = arch_s2pte_leaf(pa + i * sz, attr, level);
	}
}

/* The next-level table under ptep: the existing one, a new empty one, or a split block. */
static int table_get(struct stage2 *s2, uint64_t *ptep, uint64_t ipa, unsigned level, uint64_t *sub)
{
	uint64_t old = pte_read(ptep);
	int ret;

	if (arch_s2pte_is_table(old, level)) {
		*sub = arch_s2pte_addr(old);
		return 0;
	}
	ret = table_alloc(s2, sub);
	if (ret != 0) {
		return ret;
	}
	if (arch_s2pte_is_leaf(old, level)) {
		table_fill_split(*sub, old, level + 1);
	}
	/* The new table's contents must be visible before the descriptor that points to it. */
	arch_pgtable_sync();
	s2->table_pages++;
	pte_replace(s2, ptep, ALIGN_DOWN(ipa, arch_s2_level_size(level)), level,
		    arch_s2pte_table(*sub));
	return 0;
}

/* Whether [ipa, end) can be one leaf at level: it covers the whole entry and pa is aligned. */
static bool can_leaf(uint64_t ipa, uint64_t end, uint64_t pa, unsigned level)
{
	uint64_t sz = arch_s2_level_size(level);

	if (!IS_ALIGNED(ipa, sz) || end - ipa != sz) {
		return false;
	}
	return level == ARCH_S2_LAST_LEVEL ||
	       (arch_s2_level_has_block(level) && IS_ALIGNED(pa, sz));
}

static int visit_map(struct stage2 *s2, uint64_t *ptep, unsigned level, uint64_t ipa, uint64_t end,
		     const struct s2_req *rq)
{
	uint64_t pa = rq->pa0 + (ipa - rq->ipa0), sub;
	int ret;

	if (can_leaf(ipa, end, pa, level)) {
		pte_replace(s2, ptep, ipa, level, arch_s2pte_leaf(pa, rq->attr, level));
		return 0;
	}
	ret = table_get(s2, ptep, ipa, level, &sub);
	if (ret != 0) {
		return ret;
	}
	return walk(s2, sub, level + 1, ipa, end, rq);
}

static int visit_unmap(struct stage2 *s2, uint64_t *ptep, unsigned level, uint64_t ipa,
		       uint64_t end, const struct s2_req *rq)
{
	uint64_t sz = arch_s2_level_size(level), sub;
	int ret;

	if (!arch_s2pte_is_valid(pte_read(ptep))) {
		return 0;
	}
	if (IS_ALIGNED(ipa, sz) && end - ipa == sz) {
		pte_replace(s2, ptep, ipa, level, 0);
		return 0;
	}
	/* Partly covered: split a block, clear the covered part, drop the table if now empty. */
	ret = table_get(s2, ptep, ipa, level, &sub);
	if (ret == 0) {
		ret = walk(s2, sub, level + 1, ipa, end, rq);
	}
	if (ret == 0 && table_is_empty(sub)) {
		pte_replace(s2, ptep, ALIGN_DOWN(ipa, sz), level, 0);
	}
	return ret;
}

static int visit_protect(struct stage2 *s2, uint64_t *ptep, unsigned level, uint64_t ipa,
			 uint64_t end, const struct s2_req *rq)
{
	uint64_t old = pte_read(ptep), sz = arch_s2_level_size(level), sub;
	int ret;

	if (!arch_s2pte_is_valid(old)) {
		return 0;
	}
	if (arch_s2pte_is_leaf(old, level) && IS_ALIGNED(ipa, sz) && end - ipa == sz) {
		/* Permissions change; the memory type stays what the mapping was made with. */
		unsigned attr = (rq->attr & S2_RWX) | (arch_s2pte_attr(old) & S2_DEVICE);

		pte_replace(s2, ptep, ipa, level,
			    arch_s2pte_leaf(arch_s2pte_addr(old), attr, level));
		return 0;
	}
	ret = table_get(s2, ptep, ipa, level, &sub);
	if (ret != 0) {
		return ret;
	}
	return walk(s2, sub, level + 1, ipa, end, rq);
}

static int visit(struct stage2 *s2, uint64_t *ptep, unsigned level, uint64_t ipa, uint64_t end,
		 const struct s2_req *rq)
{
	switch (rq->op) {
	case S2_OP_MAP:
		return visit_map(s2, ptep, level, ipa, end, rq);
	case S2_OP_UNMAP:
		return visit_unmap(s2, ptep, level, ipa, end, rq);
	case S2_OP_PROTECT:
		return visit_protect(s2, ptep, level, ipa, end, rq);
	default:
		return -EINVAL;
	}
}

/* Apply rq to [start, end) of the table at level, one entry at a time. */
static int walk(struct stage2 *s2, uint64_t table, unsigned level, uint64_t start, uint64_t end,
		const struct s2_req *rq)
{
	uint64_t sz = arch_s2_level_size(level);
	int ret = 0;

	for (uint64_t ipa = start; ipa < end && ret == 0; ipa = ALIGN_DOWN(ipa, sz) + sz) {
		uint64_t *ptep = &table_of(table)[arch_s2_index(ipa, level)];

		ret = visit(s2, ptep, level, ipa, MIN(end, ALIGN_DOWN(ipa, sz) + sz), rq);
	}
	return ret;
}

static bool range_is_valid(uint64_t ipa, uint64_t size)
{
	return size != 0 && IS_ALIGNED(ipa | size, PAGE_SIZE) && ipa < S2_IPA_LIMIT &&
	       size <= S2_IPA_LIMIT - ipa;
}

static int request(struct stage2 *s2, gpa_t ipa, uint64_t size, const struct s2_req *rq)
{
	int ret;

	spin_lock(&s2->lock);
	ret = walk(s2, s2->root.v, ARCH_S2_START_LEVEL, ipa.v, ipa.v + size, rq);
	if (ret != 0 && rq->op == S2_OP_MAP) {
		/* Out of table pages: leave the range unmapped rather than half mapped. */
		struct s2_req undo = {.op = S2_OP_UNMAP};

		(void)walk(s2, s2->root.v, ARCH_S2_START_LEVEL, ipa.v, ipa.v + size, &undo);
	}
	spin_unlock(&s2->lock);
	return ret;
}

/** Set up an empty level-1 root table for vmid. */
int stage2_init(struct stage2 *s2, struct page_pool *pool, uint16_t vmid)
{
	uint64_t root;
	int ret;

	s2->lock = (struct spinlock)SPINLOCK_INIT;
	s2->pool = pool;
	s2->vmid = vmid;
	s2->table_pages = 0;
	ret = table_alloc(s2, &root);
	s2->root = hpa(ret == 0 ? root : 0);
	return ret;
}

/** Map [ipa, ipa + size) to pa; on -ENOMEM the range is left unmapped. */
int stage2_map(struct stage2 *s2, gpa_t ipa, hpa_t pa, uint64_t size, unsigned attr)
{
	struct s2_req rq = {.op = S2_OP_MAP, .ipa0 = ipa.v, .pa0 = pa.v, .attr = attr};

	if (!range_is_valid(ipa.v, size) || !IS_ALIGNED(pa.v, PAGE_SIZE) || pa.v >= S2_OA_LIMIT ||
	    size > S2_OA_LIMIT - pa.v) {
		return -EINVAL;
	}
	return request(s2, ipa, size, &rq);
}

/** Unmap [ipa, ipa + size); -ENOMEM only when a straddling block could not be split. */
int stage2_unmap(struct stage2 *s2, gpa_t ipa, uint64_t size)
{
	struct s2_req rq = {.op = S2_OP_UNMAP};

	if (!range_is_valid(ipa.v, size)) {
		return -EINVAL;
	}
	return request(s2, ipa, size, &rq);
}

/** Set the S2_READ/WRITE/EXEC permissions of the mapped pages in [ipa, ipa + size). */
int stage2_protect(struct stage2 *s2, gpa_t ipa, uint64_t size, unsigned attr)
{
	struct s2_req rq = {.op = S2_OP_PROTECT, .attr = attr};

	if (!range_is_valid(ipa.v, size)) {
		return -EINVAL;
	}
	return request(s2, ipa, size, &rq);
}

/* The leaf for ipa and its level, or 0 when ipa is not mapped. */
static uint64_t leaf_find(const struct stage2 *s2, uint64_t ipa, unsigned *level)
{
	uint64_t table = s2->root.v;

	for (unsigned l = ARCH_S2_START_LEVEL; l <= ARCH_S2_LAST_LEVEL; l++) {
		uint64_t pte = pte_read(&table_of(table)[arch_s2_index(ipa, l)]);

		if (arch_s2pte_is_leaf(pte, l)) {
			*level = l;
			return pte;
		}
		if (!arch_s2pte_is_table(pte, l)) {
			break;
		}
		table = arch_s2pte_addr(pte);
	}
	return 0;
}

/** Walk the tables for ipa; pa, attr and level may be NULL when not wanted. */
bool stage2_translate(struct stage2 *s2, gpa_t ipa, hpa_t *pa, unsigned *attr, unsigned *level)
{
	unsigned l = 0;
	uint64_t pte = 0;

	spin_lock(&s2->lock);
	if (ipa.v < S2_IPA_LIMIT) {
		pte = leaf_find(s2, ipa.v, &l);
	}
	spin_unlock(&s2->lock);
	if (pte == 0) {
		return false;
	}
	if (pa != NULL) {
		*pa = hpa(arch_s2pte_addr(pte) + (ipa.v & (arch_s2_level_size(l) - 1)));
	}
	if (attr != NULL) {
		*attr = arch_s2pte_attr(pte);
	}
	if (level != NULL) {
		*level = l;
	}
	return true;
}

/** Free all tables, root included; the caller has invalidated the VMID's TLB entries. */
void stage2_destroy(struct stage2 *s2)
{
	spin_lock(&s2->lock);
	if (s2->root.v != 0) {
		table_free_children(s2, s2->root.v, ARCH_S2_START_LEVEL);
		page_free(s2->pool, s2->root, 1);
		s2->root = hpa(0);
	}
	spin_unlock(&s2->lock);
}

/** VTTBR_EL2: BADDR is the root table, VMID in bits [63:48] (CnP left 0). */
uint64_t stage2_vttbr(const struct stage2 *s2)
{
	return s2->root.v | ((uint64_t)s2->vmid << 48);
}
