//go:build darwin && cgo

package clipboard

/*
#cgo CFLAGS: -x objective-c
#cgo LDFLAGS: -framework AppKit
#import <AppKit/AppKit.h>
#include <stdlib.h>
#include <string.h>

// koppelWrite replaces the general pasteboard's contents with the n UTF-8
// bytes at s (which it copies). concealed also declares
// org.nspasteboard.ConcealedType, which clipboard managers honour
// (nspasteboard.org). It returns 0 on failure.
static int koppelWrite(const char *s, long n, int concealed) {
	@autoreleasepool {
		NSString *str = [[[NSString alloc] initWithBytes:s length:(NSUInteger)n
		                                        encoding:NSUTF8StringEncoding] autorelease];
		if (str == nil) {
			return 0;
		}
		NSString *concealedType = @"org.nspasteboard.ConcealedType";
		NSMutableArray *types = [NSMutableArray arrayWithObject:NSPasteboardTypeString];
		if (concealed) {
			[types addObject:concealedType];
		}
		NSPasteboard *pb = [NSPasteboard generalPasteboard];
		[pb clearContents];
		[pb declareTypes:types owner:nil];
		if (concealed && ![pb setData:[NSData data] forType:concealedType]) {
			[pb clearContents];
			return 0;
		}
		return [pb setString:str forType:NSPasteboardTypeString] ? 1 : 0;
	}
}

// koppelRead returns a malloc'd copy of the general pasteboard's text and
// its length in *n, or NULL with *n = 0 when it holds no text.
static char *koppelRead(long *n) {
	@autoreleasepool {
		*n = 0;
		NSString *str = [[NSPasteboard generalPasteboard] stringForType:NSPasteboardTypeString];
		NSData *data = [str dataUsingEncoding:NSUTF8StringEncoding];
		if (data == nil || data.length == 0) {
			return NULL;
		}
		char *p = malloc(data.length);
		if (p == NULL) {
			return NULL;
		}
		memcpy(p, data.bytes, data.length);
		*n = (long)data.length;
		return p;
	}
}

static void koppelClear(void) {
	@autoreleasepool {
		[[NSPasteboard generalPasteboard] clearContents];
	}
}
*/
import "C"

import (
	"errors"
	"unsafe"

	"koppel/internal/koppel"
)

// Native returns the macOS general pasteboard.
func Native() Clipboard { return macClipboard{} }

type macClipboard struct{}

func (macClipboard) WriteText(text string, sensitive bool) error {
	concealed := C.int(0)
	if sensitive {
		concealed = 1
	}
	// C copies the bytes into an NSString and keeps no pointer to them.
	p := (*C.char)(unsafe.Pointer(unsafe.StringData(text)))
	if C.koppelWrite(p, C.long(len(text)), concealed) == 0 {
		return koppel.Internal("copy to the clipboard", errors.New("NSPasteboard refused the text"))
	}
	return nil
}

func (macClipboard) ReadText() (string, error) {
	var n C.long
	p := C.koppelRead(&n)
	if p == nil {
		return "", nil
	}
	defer C.free(unsafe.Pointer(p))
	return C.GoStringN(p, C.int(n)), nil
}

func (macClipboard) Clear() error {
	C.koppelClear()
	return nil
}
