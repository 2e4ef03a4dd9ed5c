/* SPDX-License-Identifier: Apache-2.0 */
/* Internal error codes: fallible functions return 0 or one of these, negated. */
#ifndef HYP_ERRNO_H
#define HYP_ERRNO_H

#define EPERM 1
#define ENOENT 2
#define EIO 5
#define E2BIG 7
#define ENOMEM 12
#define EFAULT 14
#define EBUSY 16
#define EEXIST 17
#define ENODEV 19
#define EINVAL 22
#define ENOSPC 28
#define ERANGE 34
#define ENOSYS 38
#define EALREADY 114

#endif
