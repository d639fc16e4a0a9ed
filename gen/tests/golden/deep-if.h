/* SPDX-License-Identifier: GPL-2.0 */
/*
 * More than 256 nested conditionals: every one is reproduced, the
 * outermost included; and a group whose branches each hold a
 * declaration is continued, not reopened.
 */
#include <linux/types.h>

int coroutine_fn dp_co_never(int a);
int coroutine_fn dp_co_b0(int a);
int coroutine_fn dp_co_b1(int a);
int coroutine_fn dp_co_b2(int a);
int coroutine_fn dp_co_b3(int a);

#ifdef CONFIG_NEVER
#if DP_LEVEL > 0
#if DP_LEVEL > 1
#if DP_LEVEL > 2
#if DP_LEVEL > 3
#if DP_LEVEL > 4
#if DP_LEVEL > 5
#if DP_LEVEL > 6
#if DP_LEVEL > 7
#if DP_LEVEL > 8
#if DP_LEVEL > 9
#if DP_LEVEL > 10
#if DP_LEVEL > 11
#if DP_LEVEL > 12
#if DP_LEVEL > 13
#if DP_LEVEL > 14
#if DP_LEVEL > 15
#if DP_LEVEL > 16
#if DP_LEVEL > 17
#if DP_LEVEL > 18
#if DP_LEVEL > 19
#if DP_LEVEL > 20
#if DP_LEVEL > 21
#if DP_LEVEL > 22
#if DP_LEVEL > 23
#if DP_LEVEL > 24
#if DP_LEVEL > 25
#if DP_LEVEL > 26
#if DP_LEVEL > 27
#if DP_LEVEL > 28
#if DP_LEVEL > 29
#if DP_LEVEL > 30
#if DP_LEVEL > 31
#if DP_LEVEL > 32
#if DP_LEVEL > 33
#if DP_LEVEL > 34
#if DP_LEVEL > 35
#if DP_LEVEL > 36
#if DP_LEVEL > 37
#if DP_LEVEL > 38
#if DP_LEVEL > 39
#if DP_LEVEL > 40
#if DP_LEVEL > 41
#if DP_LEVEL > 42
#if DP_LEVEL > 43
#if DP_LEVEL > 44
#if DP_LEVEL > 45
#if DP_LEVEL > 46
#if DP_LEVEL > 47
#if DP_LEVEL > 48
#if DP_LEVEL > 49
#if DP_LEVEL > 50
#if DP_LEVEL > 51
#if DP_LEVEL > 52
#if DP_LEVEL > 53
#if DP_LEVEL > 54
#if DP_LEVEL > 55
#if DP_LEVEL > 56
#if DP_LEVEL > 57
#if DP_LEVEL > 58
#if DP_LEVEL > 59
#if DP_LEVEL > 60
#if DP_LEVEL > 61
#if DP_LEVEL > 62
#if DP_LEVEL > 63
#if DP_LEVEL > 64
#if DP_LEVEL > 65
#if DP_LEVEL > 66
#if DP_LEVEL > 67
#if DP_LEVEL > 68
#if DP_LEVEL > 69
#if DP_LEVEL > 70
#if DP_LEVEL > 71
#if DP_LEVEL > 72
#if DP_LEVEL > 73
#if DP_LEVEL > 74
#if DP_LEVEL > 75
#if DP_LEVEL > 76
#if DP_LEVEL > 77
#if DP_LEVEL > 78
#if DP_LEVEL > 79
#if DP_LEVEL > 80
#if DP_LEVEL > 81
#if DP_LEVEL > 82
#if DP_LEVEL > 83
#if DP_LEVEL > 84
#if DP_LEVEL > 85
#if DP_LEVEL > 86
#if DP_LEVEL > 87
#if DP_LEVEL > 88
#if DP_LEVEL > 89
#if DP_LEVEL > 90
#if DP_LEVEL > 91
#if DP_LEVEL > 92
#if DP_LEVEL > 93
#if DP_LEVEL > 94
#if DP_LEVEL > 95
#if DP_LEVEL > 96
#if DP_LEVEL > 97
#if DP_LEVEL > 98
#if DP_LEVEL > 99
#if DP_LEVEL > 100
#if DP_LEVEL > 101
#if DP_LEVEL > 102
#if DP_LEVEL > 103
#if DP_LEVEL > 104
#if DP_LEVEL > 105
#if DP_LEVEL > 106
#if DP_LEVEL > 107
#if DP_LEVEL > 108
#if DP_LEVEL > 109
#if DP_LEVEL > 110
#if DP_LEVEL > 111
#if DP_LEVEL > 112
#if DP_LEVEL > 113
#if DP_LEVEL > 114
#if DP_LEVEL > 115
#if DP_LEVEL > 116
#if DP_LEVEL > 117
#if DP_LEVEL > 118
#if DP_LEVEL > 119
#if DP_LEVEL > 120
#if DP_LEVEL > 121
#if DP_LEVEL > 122
#if DP_LEVEL > 123
#if DP_LEVEL > 124
#if DP_LEVEL > 125
#if DP_LEVEL > 126
#if DP_LEVEL > 127
#if DP_LEVEL > 128
#if DP_LEVEL > 129
#if DP_LEVEL > 130
#if DP_LEVEL > 131
#if DP_LEVEL > 132
#if DP_LEVEL > 133
#if DP_LEVEL > 134
#if DP_LEVEL > 135
#if DP_LEVEL > 136
#if DP_LEVEL > 137
#if DP_LEVEL > 138
#if DP_LEVEL > 139
#if DP_LEVEL > 140
#if DP_LEVEL > 141
#if DP_LEVEL > 142
#if DP_LEVEL > 143
#if DP_LEVEL > 144
#if DP_LEVEL > 145
#if DP_LEVEL > 146
#if DP_LEVEL > 147
#if DP_LEVEL > 148
#if DP_LEVEL > 149
#if DP_LEVEL > 150
#if DP_LEVEL > 151
#if DP_LEVEL > 152
#if DP_LEVEL > 153
#if DP_LEVEL > 154
#if DP_LEVEL > 155
#if DP_LEVEL > 156
#if DP_LEVEL > 157
#if DP_LEVEL > 158
#if DP_LEVEL > 159
#if DP_LEVEL > 160
#if DP_LEVEL > 161
#if DP_LEVEL > 162
#if DP_LEVEL > 163
#if DP_LEVEL > 164
#if DP_LEVEL > 165
#if DP_LEVEL > 166
#if DP_LEVEL > 167
#if DP_LEVEL > 168
#if DP_LEVEL > 169
#if DP_LEVEL > 170
#if DP_LEVEL > 171
#if DP_LEVEL > 172
#if DP_LEVEL > 173
#if DP_LEVEL > 174
#if DP_LEVEL > 175
#if DP_LEVEL > 176
#if DP_LEVEL > 177
#if DP_LEVEL > 178
#if DP_LEVEL > 179
#if DP_LEVEL > 180
#if DP_LEVEL > 181
#if DP_LEVEL > 182
#if DP_LEVEL > 183
#if DP_LEVEL > 184
#if DP_LEVEL > 185
#if DP_LEVEL > 186
#if DP_LEVEL > 187
#if DP_LEVEL > 188
#if DP_LEVEL > 189
#if DP_LEVEL > 190
#if DP_LEVEL > 191
#if DP_LEVEL > 192
#if DP_LEVEL > 193
#if DP_LEVEL > 194
#if DP_LEVEL > 195
#if DP_LEVEL > 196
#if DP_LEVEL > 197
#if DP_LEVEL > 198
#if DP_LEVEL > 199
#if DP_LEVEL > 200
#if DP_LEVEL > 201
#if DP_LEVEL > 202
#if DP_LEVEL > 203
#if DP_LEVEL > 204
#if DP_LEVEL > 205
#if DP_LEVEL > 206
#if DP_LEVEL > 207
#if DP_LEVEL > 208
#if DP_LEVEL > 209
#if DP_LEVEL > 210
#if DP_LEVEL > 211
#if DP_LEVEL > 212
#if DP_LEVEL > 213
#if DP_LEVEL > 214
#if DP_LEVEL > 215
#if DP_LEVEL > 216
#if DP_LEVEL > 217
#if DP_LEVEL > 218
#if DP_LEVEL > 219
#if DP_LEVEL > 220
#if DP_LEVEL > 221
#if DP_LEVEL > 222
#if DP_LEVEL > 223
#if DP_LEVEL > 224
#if DP_LEVEL > 225
#if DP_LEVEL > 226
#if DP_LEVEL > 227
#if DP_LEVEL > 228
#if DP_LEVEL > 229
#if DP_LEVEL > 230
#if DP_LEVEL > 231
#if DP_LEVEL > 232
#if DP_LEVEL > 233
#if DP_LEVEL > 234
#if DP_LEVEL > 235
#if DP_LEVEL > 236
#if DP_LEVEL > 237
#if DP_LEVEL > 238
#if DP_LEVEL > 239
#if DP_LEVEL > 240
#if DP_LEVEL > 241
#if DP_LEVEL > 242
#if DP_LEVEL > 243
#if DP_LEVEL > 244
#if DP_LEVEL > 245
#if DP_LEVEL > 246
#if DP_LEVEL > 247
#if DP_LEVEL > 248
#if DP_LEVEL > 249
#if DP_LEVEL > 250
#if DP_LEVEL > 251
#if DP_LEVEL > 252
#if DP_LEVEL > 253
#if DP_LEVEL > 254
#if DP_LEVEL > 255
#if DP_LEVEL > 256
#if DP_LEVEL > 257
#if DP_LEVEL > 258
#if DP_LEVEL > 259
#if DP_LEVEL > 260
#if DP_LEVEL > 261
#if DP_LEVEL > 262
#if DP_LEVEL > 263
#if DP_LEVEL > 264
#if DP_LEVEL > 265
#if DP_LEVEL > 266
#if DP_LEVEL > 267
#if DP_LEVEL > 268
#if DP_LEVEL > 269
#if DP_LEVEL > 270
#if DP_LEVEL > 271
#if DP_LEVEL > 272
#if DP_LEVEL > 273
#if DP_LEVEL > 274
#if DP_LEVEL > 275
#if DP_LEVEL > 276
#if DP_LEVEL > 277
#if DP_LEVEL > 278
#if DP_LEVEL > 279
#if DP_LEVEL > 280
#if DP_LEVEL > 281
#if DP_LEVEL > 282
#if DP_LEVEL > 283
#if DP_LEVEL > 284
#if DP_LEVEL > 285
#if DP_LEVEL > 286
#if DP_LEVEL > 287
#if DP_LEVEL > 288
#if DP_LEVEL > 289
#if DP_LEVEL > 290
#if DP_LEVEL > 291
#if DP_LEVEL > 292
#if DP_LEVEL > 293
#if DP_LEVEL > 294
#if DP_LEVEL > 295
#if DP_LEVEL > 296
#if DP_LEVEL > 297
#if DP_LEVEL > 298
#if DP_LEVEL > 299
int co_wrapper dp_never(int a);
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif
#endif

#if DP_B == 0
int co_wrapper dp_b0(int a);
#elif DP_B == 1
int co_wrapper dp_b1(int a);
#elif DP_B == 2
#elif DP_B == 3
int co_wrapper dp_b2(int a);
#else
int co_wrapper dp_b3(int a);
#endif
