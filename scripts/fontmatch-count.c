// fontmatch-count.c: a preload library for scripts/window-smoke.sh, which
// builds it and starts the window with it (LD_PRELOAD). WebKitGTK asks
// fontconfig to match a font (FcFontMatch) once for every font face it sets
// up (a family, size and weight the page lays text out in), at 1-2 ms each
// before its first frame (frontend/src/app.css, the type scale). This counts
// those calls: each one appends the calling process's id, as a line, to the
// file named by KOPPEL_FONTMATCH_LOG, then the match goes on as usual.
#define _GNU_SOURCE
#include <dlfcn.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <unistd.h>

#include <fontconfig/fontconfig.h>

typedef FcPattern *(*font_match_fn)(FcConfig *, FcPattern *, FcResult *);

FcPattern *FcFontMatch(FcConfig *config, FcPattern *pattern, FcResult *result) {
  static font_match_fn next;
  if (next == NULL) next = (font_match_fn)dlsym(RTLD_NEXT, "FcFontMatch");

  const char *log = getenv("KOPPEL_FONTMATCH_LOG");
  if (log != NULL) {
    int fd = open(log, O_WRONLY | O_APPEND | O_CREAT | O_CLOEXEC, 0600);
    if (fd >= 0) {
      char line[24];
      int n = snprintf(line, sizeof line, "%d\n", (int)getpid());
      if (n > 0 && write(fd, line, (size_t)n) != n) {
        // A line lost makes the count lower, never higher: nothing to do.
      }
      close(fd);
    }
  }
  return next(config, pattern, result);
}
