/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * cowrap control ABI: ioctls on /dev/cowrap-ctl.
 *
 * Conventions (Documentation/uapi.rst):
 *  - only fixed-width types, explicit padding, no implicit holes, pointers
 *    passed as __u64;
 *  - every command struct starts with "__u32 size; __u32 flags;": size is
 *    the size of the struct as the caller knows it (extensible structs with
 *    copy_struct_from_user() semantics), flags must only hold known bits;
 *  - the size bits of the ioctl number are ignored by the kernel: size is
 *    authoritative, so a newer, larger struct keeps the same command;
 *  - unknown flags and non-zero reserved fields get -EINVAL, a size below
 *    the first published size -EINVAL, a larger size with non-zero bytes
 *    past what the kernel knows -E2BIG, a bad pointer -EFAULT, an unknown
 *    command -ENOTTY; mutating commands need CAP_SYS_ADMIN (-EPERM).
 */
#ifndef _UAPI_LINUX_COWRAP_H
#define _UAPI_LINUX_COWRAP_H

#include <linux/ioctl.h>
#include <linux/types.h>

#define COWRAP_CTL_DEVICE	"/dev/cowrap-ctl"
#define COWRAP_ABI_VERSION	1
#define COWRAP_IOC_MAGIC	0xC7

/* Feature bits reported by COWRAP_IOC_GET_INFO: one per command family. */
#define COWRAP_F_GET_INFO	(1ULL << 0)

#define COWRAP_VERSION_LEN	32

/**
 * struct cowrap_info - answer of COWRAP_IOC_GET_INFO
 * @size: in: sizeof(struct cowrap_info) as the caller knows it (at least
 *	COWRAP_INFO_SIZE_VER0); out: the number of bytes the kernel wrote
 * @flags: in: must be 0
 * @abi_version: out: COWRAP_ABI_VERSION of the running module
 * @reserved: must be 0 on input; 0 on output
 * @features: out: COWRAP_F_* bits the module supports
 * @version: out: module version, NUL-terminated
 */
struct cowrap_info {
	__u32 size;
	__u32 flags;
	__u32 abi_version;
	__u32 reserved;
	__u64 features;
	__u8 version[COWRAP_VERSION_LEN];
};

#define COWRAP_INFO_SIZE_VER0	56

#define COWRAP_IOC_GET_INFO	_IOWR(COWRAP_IOC_MAGIC, 0x00, struct cowrap_info)


/* ------------------------------------------------------------------------ */
/* Block devices (Documentation/uapi.rst, "Devices")                        */

/* More feature bits (COWRAP_IOC_GET_INFO and COWRAP_IOC_GET_FEATURES). */
#define COWRAP_F_DEV		(1ULL << 1)	/* ADD, DEL, LIST, GET_DEV_INFO */
#define COWRAP_F_STATS		(1ULL << 2)	/* GET_STATS */
#define COWRAP_F_FAULT		(1ULL << 3)	/* SET_FAULT */
#define COWRAP_F_SYNC_IO	(1ULL << 4)	/* PREAD ... WRITE_ZEROES */
#define COWRAP_F_FEATURES	(1ULL << 5)	/* GET_FEATURES */
#define COWRAP_F_DEL_FORCE	(1ULL << 6)	/* COWRAP_DEL_FORCE */
#define COWRAP_F_BIO_BASED	(1ULL << 7)	/* COWRAP_DEV_BIO_BASED */

/* Backends (struct cowrap_dev_add.backend); 0 is never valid. */
#define COWRAP_BACKEND_RAM	1	/* pages allocated on first write */
#define COWRAP_BACKEND_NULL	2	/* no data: writes dropped, reads zero */
#define COWRAP_BACKEND_BDEV	3	/* passthrough to a block device */
#define COWRAP_BACKEND_COW	4	/* read-only base, writes to an overlay */
#define COWRAP_BACKEND_MAX	4

/* Device flags (struct cowrap_dev_add.dev_flags). */
#define COWRAP_DEV_READ_ONLY	(1ULL << 0)	/* writes fail with EROFS/EIO */
#define COWRAP_DEV_WRITE_CACHE	(1ULL << 1)	/* volatile cache: FLUSH/FUA */
#define COWRAP_DEV_DISCARD	(1ULL << 2)	/* REQ_OP_DISCARD supported */
#define COWRAP_DEV_WRITE_ZEROES	(1ULL << 3)	/* REQ_OP_WRITE_ZEROES supported */
#define COWRAP_DEV_BIO_BASED	(1ULL << 4)	/* a coroutine per bio, no blk-mq */
#define COWRAP_DEV_FLAGS_ALL	0x1fULL

/* Request operations, as indexes (stats) and as bits (faults). */
#define COWRAP_OP_READ		0
#define COWRAP_OP_WRITE		1
#define COWRAP_OP_FLUSH		2
#define COWRAP_OP_DISCARD	3
#define COWRAP_OP_WRITE_ZEROES	4
#define COWRAP_OP_NR		5
#define COWRAP_OP_BIT(op)	(1U << (op))
#define COWRAP_OP_MASK_ALL	((1U << COWRAP_OP_NR) - 1)

/* Limits, also reported by COWRAP_IOC_GET_FEATURES. */
#define COWRAP_MAX_DEVICES	1024		/* ids 0 .. 1023 */
#define COWRAP_MAX_DEV_SIZE	(1ULL << 40)	/* 1 TiB */
#define COWRAP_MIN_LBS		512
#define COWRAP_MAX_LBS		4096
#define COWRAP_MAX_PBS		65536
#define COWRAP_MAX_QUEUE_DEPTH	1024
#define COWRAP_MAX_LATENCY_NS	1000000000ULL	/* 1 s */
#define COWRAP_MAX_IO_LEN	(1U << 20)	/* sync PREAD/PWRITE */
#define COWRAP_PATH_MAX		256		/* bdev path, NUL included */
#define COWRAP_DISK_NAME_LEN	32
#define COWRAP_MAX_TIMEOUT_MS	3600000U	/* 1 hour */
#define COWRAP_COW_MIN_CHUNK	4096		/* cow chunk size bounds */
#define COWRAP_COW_MAX_CHUNK	(1U << 20)

/* struct cowrap_dev_add.flags */
#define COWRAP_ADD_REQ_ID	(1U << 0)	/* create with id dev_id */

/**
 * struct cowrap_dev_add - argument of COWRAP_IOC_ADD
 * @size: sizeof as the caller knows it (>= COWRAP_DEV_ADD_SIZE_VER0)
 * @flags: COWRAP_ADD_* bits
 * @dev_id: in: the id asked for with COWRAP_ADD_REQ_ID, else must be 0;
 *	out: the id of the new device (/dev/cowrap<dev_id>)
 * @backend: COWRAP_BACKEND_*
 * @dev_size: bytes, a multiple of @logical_block_size, at most
 *	COWRAP_MAX_DEV_SIZE; 0 with the bdev backend means the lower
 *	device's size
 * @logical_block_size: 512 .. 4096, power of two
 * @physical_block_size: @logical_block_size .. 65536, power of two;
 *	0 means @logical_block_size
 * @nr_hw_queues: 1 .. number of possible CPUs; 0 with
 *	COWRAP_DEV_BIO_BASED (a bio-based device has no hardware queues)
 * @queue_depth: 1 .. COWRAP_MAX_QUEUE_DEPTH; 0 with COWRAP_DEV_BIO_BASED
 * @dev_flags: COWRAP_DEV_* bits
 * @latency_ns: added to every request with a coroutine sleep,
 *	0 .. COWRAP_MAX_LATENCY_NS
 * @path: bdev backend: user pointer to the lower device's path; cow
 *	backend: the base device's path; NUL-terminated within @path_len
 *	bytes; other backends: 0
 * @path_len: size of the buffer at @path, 2 .. COWRAP_PATH_MAX (bdev,
 *	cow), 0 otherwise
 * @reserved: must be 0
 * @timeout_ms: (since COWRAP_DEV_ADD_SIZE_VER1) I/O timeout of a block
 *	request in milliseconds, 0 .. COWRAP_MAX_TIMEOUT_MS; a request still
 *	running that long is failed with ETIMEDOUT (BLK_STS_TIMEOUT);
 *	0 (or a caller that passes only VER0) means never; must be 0 with
 *	COWRAP_DEV_BIO_BASED (bios have no timeout)
 * @reserved2: must be 0
 * @overlay: (since COWRAP_DEV_ADD_SIZE_VER2) cow backend: user pointer to
 *	the overlay device's path, NUL-terminated within @overlay_len bytes,
 *	formatted (Documentation/cow-format.rst); other backends: 0
 * @overlay_len: size of the buffer at @overlay, 2 .. COWRAP_PATH_MAX
 *	(cow), 0 otherwise
 * @chunk_size: cow backend: 0, or the chunk size the overlay's superblock
 *	must hold (a power of two, COWRAP_COW_MIN_CHUNK ..
 *	COWRAP_COW_MAX_CHUNK; -EINVAL otherwise or if it differs); other
 *	backends: 0
 */
struct cowrap_dev_add {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 backend;
	__u64 dev_size;
	__u32 logical_block_size;
	__u32 physical_block_size;
	__u32 nr_hw_queues;
	__u32 queue_depth;
	__u64 dev_flags;
	__u64 latency_ns;
	__u64 path;
	__u32 path_len;
	__u32 reserved;
	__u32 timeout_ms;
	__u32 reserved2;
	__u64 overlay;
	__u32 overlay_len;
	__u32 chunk_size;
};

#define COWRAP_DEV_ADD_SIZE_VER0	72
#define COWRAP_DEV_ADD_SIZE_VER1	80	/* timeout_ms */
#define COWRAP_DEV_ADD_SIZE_VER2	96	/* overlay, chunk_size */

/* struct cowrap_dev_del.flags */
#define COWRAP_DEL_FORCE	(1U << 0)	/* see Documentation/uapi.rst */

/**
 * struct cowrap_dev_del - argument of COWRAP_IOC_DEL
 * @size: sizeof as the caller knows it (>= COWRAP_DEV_DEL_SIZE_VER0)
 * @flags: COWRAP_DEL_* bits
 * @dev_id: device to remove
 * @reserved: must be 0
 */
struct cowrap_dev_del {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 reserved;
};

#define COWRAP_DEV_DEL_SIZE_VER0	16

/**
 * struct cowrap_dev_list - argument of COWRAP_IOC_LIST
 * @size: sizeof as the caller knows it (>= COWRAP_DEV_LIST_SIZE_VER0)
 * @flags: must be 0
 * @count: in: number of __u32 slots at @ids (0 .. COWRAP_MAX_DEVICES);
 *	out: number of devices that exist (may exceed the slots)
 * @reserved: must be 0
 * @ids: user pointer to @count __u32 slots, filled with ids in
 *	ascending order; may be 0 when @count is 0
 */
struct cowrap_dev_list {
	__u32 size;
	__u32 flags;
	__u32 count;
	__u32 reserved;
	__u64 ids;
};

#define COWRAP_DEV_LIST_SIZE_VER0	24

/* struct cowrap_dev_info.state */
#define COWRAP_STATE_LIVE	1
#define COWRAP_STATE_DELETING	2	/* force-deleted, waits for close */

/**
 * struct cowrap_dev_info - argument of COWRAP_IOC_GET_DEV_INFO
 * @size: sizeof as the caller knows it (>= COWRAP_DEV_INFO_SIZE_VER0)
 * @flags: must be 0
 * @dev_id: in: device to describe
 * @backend: out: COWRAP_BACKEND_*
 * @dev_size: out: bytes
 * @logical_block_size: out
 * @physical_block_size: out
 * @nr_hw_queues: out
 * @queue_depth: out
 * @dev_flags: out: COWRAP_DEV_* bits
 * @latency_ns: out
 * @major: out: block device major number
 * @minor: out: block device minor number
 * @open_count: out: number of opens of /dev/cowrap<dev_id>
 * @state: out: COWRAP_STATE_*
 * @disk_name: out: e.g. "cowrap0", NUL-terminated
 * @path: out: bdev backend's lower device path (cow: the base's),
 *	NUL-terminated
 * @max_hw_sectors: (since COWRAP_DEV_INFO_SIZE_VER1) out: the effective
 *	queue limits of the disk, in 512-byte sectors where a sector count
 *	(for a bdev device: stacked from the lower device)
 * @max_sectors: out
 * @max_segments: out
 * @max_segment_size: out: bytes
 * @dma_alignment: out: mask a direct I/O buffer's address and length
 *	must clear
 * @discard_granularity: out: bytes, 0 without discard
 * @max_discard_sectors: out: 0 without discard
 * @max_write_zeroes_sectors: out: 0 without write-zeroes
 * @queue_flags: out: COWRAP_QUEUE_* bits
 * @reserved: out: 0
 * @overlay: (since COWRAP_DEV_INFO_SIZE_VER2) out: cow backend: the
 *	overlay device's path, NUL-terminated; empty for other backends
 * @chunk_size: out: cow backend: the overlay's chunk size in bytes (the
 *	one its superblock holds), 0 for other backends
 * @reserved2: out: 0
 *
 * Every field but @size, @flags and @dev_id is ignored on input.
 */
struct cowrap_dev_info {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 backend;
	__u64 dev_size;
	__u32 logical_block_size;
	__u32 physical_block_size;
	__u32 nr_hw_queues;
	__u32 queue_depth;
	__u64 dev_flags;
	__u64 latency_ns;
	__u32 major;
	__u32 minor;
	__u32 open_count;
	__u32 state;
	__u8 disk_name[COWRAP_DISK_NAME_LEN];
	__u8 path[COWRAP_PATH_MAX];
	__u32 max_hw_sectors;
	__u32 max_sectors;
	__u32 max_segments;
	__u32 max_segment_size;
	__u32 dma_alignment;
	__u32 discard_granularity;
	__u32 max_discard_sectors;
	__u32 max_write_zeroes_sectors;
	__u32 queue_flags;
	__u32 reserved;
	__u8 overlay[COWRAP_PATH_MAX];
	__u32 chunk_size;
	__u32 reserved2;
};

#define COWRAP_DEV_INFO_SIZE_VER0	360
#define COWRAP_DEV_INFO_SIZE_VER1	400	/* max_hw_sectors ... queue_flags */
#define COWRAP_DEV_INFO_SIZE_VER2	664	/* overlay, chunk_size */

/* struct cowrap_dev_info.queue_flags */
#define COWRAP_QUEUE_WRITE_CACHE	(1U << 0)	/* volatile cache: FLUSH honoured */
#define COWRAP_QUEUE_FUA		(1U << 1)	/* FUA honoured */
#define COWRAP_QUEUE_ROTATIONAL		(1U << 2)

/* struct cowrap_dev_stats.flags */
#define COWRAP_STATS_RESET	(1U << 0)	/* zero the counters after reading */

/**
 * struct cowrap_dev_stats - argument of COWRAP_IOC_GET_STATS
 * @size: sizeof as the caller knows it (>= COWRAP_DEV_STATS_SIZE_VER0)
 * @flags: COWRAP_STATS_* bits (RESET needs CAP_SYS_ADMIN)
 * @dev_id: in: device
 * @reserved: must be 0
 * @reqs: out: completed requests per COWRAP_OP_* (block device and sync
 *	calls)
 * @bytes: out: bytes transferred or affected per COWRAP_OP_*
 * @errors: out: requests per COWRAP_OP_* that completed with an error
 * @co_started: out: coroutines started (one per request and sync call)
 * @co_yields: out: times a device coroutine parked (latency sleeps,
 *	lower-device bios)
 * @co_wakes: out: times a parked device coroutine was resumed
 * @sync_calls: out: synchronous wrapper calls (PREAD ... WRITE_ZEROES)
 * @faults_injected: out: requests failed or delayed by SET_FAULT
 * @inflight: out: requests and sync calls running now
 * @reserved2: 0
 */
struct cowrap_dev_stats {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 reserved;
	__u64 reqs[COWRAP_OP_NR];
	__u64 bytes[COWRAP_OP_NR];
	__u64 errors[COWRAP_OP_NR];
	__u64 co_started;
	__u64 co_yields;
	__u64 co_wakes;
	__u64 sync_calls;
	__u64 faults_injected;
	__u32 inflight;
	__u32 reserved2;
};

#define COWRAP_DEV_STATS_SIZE_VER0	184

/* struct cowrap_fault.mode */
#define COWRAP_FAULT_NONE	0	/* clear the rule */
#define COWRAP_FAULT_FAIL_NTH	1	/* fail the nth matching request once */
#define COWRAP_FAULT_FAIL_EVERY	2	/* fail every nth matching request */
#define COWRAP_FAULT_DELAY	3	/* delay every nth by latency_ns */
#define COWRAP_FAULT_MODE_MAX	3

/**
 * struct cowrap_fault - argument of COWRAP_IOC_SET_FAULT
 * @size: sizeof as the caller knows it (>= COWRAP_FAULT_SIZE_VER0)
 * @flags: must be 0
 * @dev_id: device
 * @mode: COWRAP_FAULT_*; NONE clears the rule (all other fields 0)
 * @ops: COWRAP_OP_BIT() mask of the operations the rule counts, non-zero
 * @nth: 1 .. 1000000: which matching request (FAIL_NTH) or the period
 *	(FAIL_EVERY, DELAY); counted from when the rule is set
 * @error: FAIL modes: positive errno the request fails with: EIO, ENOSPC,
 *	ETIMEDOUT, ENOLINK, ENODATA, EILSEQ, EREMOTEIO; DELAY: 0
 * @reserved: must be 0
 * @latency_ns: DELAY: 1 .. COWRAP_MAX_LATENCY_NS; FAIL modes: 0
 *
 * One rule per device; setting a rule replaces the previous one.
 */
struct cowrap_fault {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 mode;
	__u32 ops;
	__u32 nth;
	__u32 error;
	__u32 reserved;
	__u64 latency_ns;
};

#define COWRAP_FAULT_SIZE_VER0		40
#define COWRAP_FAULT_MAX_NTH		1000000

/* struct cowrap_io.flags */
#define COWRAP_IO_FUA		(1U << 0)	/* PWRITE: forced unit access */

/**
 * struct cowrap_io - argument of the synchronous I/O commands
 * @size: sizeof as the caller knows it (>= COWRAP_IO_SIZE_VER0)
 * @flags: COWRAP_IO_* bits (FUA only with PWRITE)
 * @dev_id: device
 * @reserved: must be 0
 * @offset: byte offset, a multiple of the logical block size
 * @length: bytes, a multiple of the logical block size, > 0, with
 *	@offset + @length <= device size; PREAD/PWRITE: at most
 *	COWRAP_MAX_IO_LEN; FLUSH: @offset and @length must be 0
 * @buf: PREAD/PWRITE: user pointer to @length bytes; others: 0
 */
struct cowrap_io {
	__u32 size;
	__u32 flags;
	__u32 dev_id;
	__u32 reserved;
	__u64 offset;
	__u64 length;
	__u64 buf;
};

#define COWRAP_IO_SIZE_VER0		40

/**
 * struct cowrap_features - answer of COWRAP_IOC_GET_FEATURES
 * @size: sizeof as the caller knows it (>= COWRAP_FEATURES_SIZE_VER0)
 * @flags: must be 0
 * @features: out: COWRAP_F_* bits
 * @backends: out: bit (1 << COWRAP_BACKEND_*) for each backend built in
 * @dev_flags: out: COWRAP_DEV_* bits accepted by ADD
 * @max_dev_size: out: COWRAP_MAX_DEV_SIZE
 * @max_latency_ns: out: COWRAP_MAX_LATENCY_NS
 * @max_devices: out: COWRAP_MAX_DEVICES
 * @max_hw_queues: out: number of possible CPUs
 * @max_queue_depth: out: COWRAP_MAX_QUEUE_DEPTH
 * @max_io_len: out: COWRAP_MAX_IO_LEN
 * @min_lbs: out: COWRAP_MIN_LBS
 * @max_lbs: out: COWRAP_MAX_LBS
 * @max_pbs: out: COWRAP_MAX_PBS
 * @nr_devices: out: devices that exist now
 */
struct cowrap_features {
	__u32 size;
	__u32 flags;
	__u64 features;
	__u64 backends;
	__u64 dev_flags;
	__u64 max_dev_size;
	__u64 max_latency_ns;
	__u32 max_devices;
	__u32 max_hw_queues;
	__u32 max_queue_depth;
	__u32 max_io_len;
	__u32 min_lbs;
	__u32 max_lbs;
	__u32 max_pbs;
	__u32 nr_devices;
};

#define COWRAP_FEATURES_SIZE_VER0	80

#define COWRAP_IOC_ADD		_IOWR(COWRAP_IOC_MAGIC, 0x01, struct cowrap_dev_add)
#define COWRAP_IOC_DEL		_IOW(COWRAP_IOC_MAGIC, 0x02, struct cowrap_dev_del)
#define COWRAP_IOC_LIST		_IOWR(COWRAP_IOC_MAGIC, 0x03, struct cowrap_dev_list)
#define COWRAP_IOC_GET_DEV_INFO	_IOWR(COWRAP_IOC_MAGIC, 0x04, struct cowrap_dev_info)
#define COWRAP_IOC_GET_STATS	_IOWR(COWRAP_IOC_MAGIC, 0x05, struct cowrap_dev_stats)
#define COWRAP_IOC_SET_FAULT	_IOW(COWRAP_IOC_MAGIC, 0x06, struct cowrap_fault)
#define COWRAP_IOC_GET_FEATURES	_IOWR(COWRAP_IOC_MAGIC, 0x07, struct cowrap_features)
#define COWRAP_IOC_PREAD	_IOW(COWRAP_IOC_MAGIC, 0x10, struct cowrap_io)
#define COWRAP_IOC_PWRITE	_IOW(COWRAP_IOC_MAGIC, 0x11, struct cowrap_io)
#define COWRAP_IOC_FLUSH	_IOW(COWRAP_IOC_MAGIC, 0x12, struct cowrap_io)
#define COWRAP_IOC_DISCARD	_IOW(COWRAP_IOC_MAGIC, 0x13, struct cowrap_io)
#define COWRAP_IOC_WRITE_ZEROES	_IOW(COWRAP_IOC_MAGIC, 0x14, struct cowrap_io)

#endif /* _UAPI_LINUX_COWRAP_H */
