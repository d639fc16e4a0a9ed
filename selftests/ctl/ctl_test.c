// SPDX-License-Identifier: GPL-2.0
/*
 * /dev/cowrap-ctl basics: GET_INFO answers, struct size handling, unknown
 * commands.
 */
#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <linux/cowrap.h>

#include "../harness.h"

static int ctl_open(void)
{
	return open(COWRAP_CTL_DEVICE, O_RDWR | O_CLOEXEC);
}

/* A GET_INFO struct followed by room for a caller from the future. */
struct info_big {
	struct cowrap_info info;
	unsigned char tail[64];
};

static int get_info(int fd, void *buf, __u32 size)
{
	memcpy(buf, &size, sizeof(size));
	return ioctl(fd, COWRAP_IOC_GET_INFO, buf);
}

static int read_sysfs(const char *path, char *buf, size_t len)
{
	ssize_t n;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	n = read(fd, buf, len - 1);
	close(fd);
	if (n < 0)
		return -1;
	buf[n] = 0;
	if (n && buf[n - 1] == '\n')
		buf[n - 1] = 0;
	return 0;
}

TEST(ctl_device_node)
{
	struct stat st;

	ASSERT_EQ(stat(COWRAP_CTL_DEVICE, &st), 0);
	ASSERT_TRUE(S_ISCHR(st.st_mode));
	ASSERT_EQ(st.st_mode & 0777, 0600);
}

TEST(get_info_values)
{
	struct cowrap_info info;
	char ver[64];
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&info, 0, sizeof(info));
	ASSERT_EQ(get_info(fd, &info, sizeof(info)), 0);
	ASSERT_EQ(info.size, sizeof(info));
	ASSERT_EQ(info.abi_version, COWRAP_ABI_VERSION);
	ASSERT_TRUE(info.features & COWRAP_F_GET_INFO);
	ASSERT_EQ(info.flags, 0);
	ASSERT_EQ(info.reserved, 0);
	ASSERT_EQ(read_sysfs("/sys/module/cowrap_blk/version", ver,
			     sizeof(ver)), 0);
	ASSERT_EQ(memchr(info.version, 0, sizeof(info.version)) != NULL, 1);
	TH_LOG("module version %s, features %#llx", (char *)info.version,
	       (unsigned long long)info.features);
	ASSERT_EQ(strcmp((char *)info.version, ver), 0);
	close(fd);
}

TEST(get_info_short_struct)
{
	struct cowrap_info info;
	static const __u32 sizes[] = { 0, 4, 8, COWRAP_INFO_SIZE_VER0 - 1 };
	unsigned int i;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(&info, 0, sizeof(info));
		ASSERT_ERRNO(get_info(fd, &info, sizes[i]), EINVAL);
	}
	close(fd);
}

TEST(get_info_larger_struct_zero_tail)
{
	struct info_big big;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&big, 0, sizeof(big));
	ASSERT_EQ(get_info(fd, &big, sizeof(big)), 0);
	/* The kernel says how much it wrote and leaves the rest alone. */
	ASSERT_EQ(big.info.size, sizeof(struct cowrap_info));
	ASSERT_EQ(big.info.abi_version, COWRAP_ABI_VERSION);
	ASSERT_EQ(big.tail[0], 0);
	close(fd);
}

TEST(get_info_larger_struct_nonzero_tail)
{
	struct info_big big;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&big, 0, sizeof(big));
	big.tail[63] = 1;
	ASSERT_ERRNO(get_info(fd, &big, sizeof(big)), E2BIG);
	close(fd);
}

TEST(get_info_oversized)
{
	static unsigned char buf[2 * 65536];
	static const __u32 sizes[] = { 65536 + 1, 1u << 20, 0xffffffffu };
	unsigned int i;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	for (i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		memset(buf, 0, sizeof(buf));
		ASSERT_ERRNO(get_info(fd, buf, sizes[i]), E2BIG);
	}
	close(fd);
}

TEST(get_info_flags_and_reserved)
{
	struct cowrap_info info;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&info, 0, sizeof(info));
	info.flags = 1;
	ASSERT_ERRNO(get_info(fd, &info, sizeof(info)), EINVAL);
	memset(&info, 0, sizeof(info));
	info.flags = 0x80000000u;
	ASSERT_ERRNO(get_info(fd, &info, sizeof(info)), EINVAL);
	memset(&info, 0, sizeof(info));
	info.reserved = 7;
	ASSERT_ERRNO(get_info(fd, &info, sizeof(info)), EINVAL);
	close(fd);
}

TEST(get_info_bad_pointer)
{
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	ASSERT_ERRNO(ioctl(fd, COWRAP_IOC_GET_INFO, NULL), EFAULT);
	ASSERT_ERRNO(ioctl(fd, COWRAP_IOC_GET_INFO, (void *)16), EFAULT);
	ASSERT_ERRNO(ioctl(fd, COWRAP_IOC_GET_INFO, (void *)-4096L), EFAULT);
	close(fd);
}

TEST(get_info_garbage)
{
	unsigned char buf[4096];
	struct cowrap_info *info = (void *)buf;
	unsigned int i, j, ok = 0;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	srandom(0xc0ffee);
	for (i = 0; i < 2000; i++) {
		for (j = 0; j < sizeof(buf); j++)
			buf[j] = random();
		/* Every third round, a plausible size with garbage after it. */
		if (i % 3 == 0)
			info->size = COWRAP_INFO_SIZE_VER0 + random() % 64;
		if (ioctl(fd, COWRAP_IOC_GET_INFO, buf) == 0) {
			ok++;
			ASSERT_EQ(info->abi_version, COWRAP_ABI_VERSION);
			continue;
		}
		if (errno != EINVAL && errno != E2BIG) {
			TH_FAIL("round %u: unexpected errno %d", i, errno);
			return;
		}
	}
	/* Random flags are non-zero: nothing garbage may be accepted. */
	ASSERT_EQ(ok, 0);
	close(fd);
}

TEST(get_info_size_bits_ignored)
{
	struct cowrap_info info;
	unsigned long cmd = _IOWR(COWRAP_IOC_MAGIC, 0x00, struct info_big);
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_EQ(ioctl(fd, cmd, &info), 0);
	ASSERT_EQ(info.abi_version, COWRAP_ABI_VERSION);
	close(fd);
}

TEST(unknown_ioctl)
{
	struct cowrap_info info;
	int fd = ctl_open();

	ASSERT_GE(fd, 0);
	memset(&info, 0, sizeof(info));
	info.size = sizeof(info);
	ASSERT_ERRNO(ioctl(fd, _IOWR(COWRAP_IOC_MAGIC, 0x3f, struct cowrap_info),
			   &info), ENOTTY);
	ASSERT_ERRNO(ioctl(fd, _IOWR('x', 0x00, struct cowrap_info), &info),
		     ENOTTY);
	ASSERT_ERRNO(ioctl(fd, _IOR(COWRAP_IOC_MAGIC, 0x00, struct cowrap_info),
			   &info), ENOTTY);
	ASSERT_ERRNO(ioctl(fd, _IO(COWRAP_IOC_MAGIC, 0x00), 0), ENOTTY);
	ASSERT_ERRNO(ioctl(fd, 0, 0), ENOTTY);
	close(fd);
}

TEST_HARNESS_MAIN
