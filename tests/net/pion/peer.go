// The pion/sctp side of tests/net/pion.sh: a peer on pion/sctp 1.8.6 (the
// Debian package golang-github-pion-sctp-dev, built offline in GOPATH
// mode) over a UDP socket, i.e. SCTP over UDP as RFC 6951 carries it.
// pion 1.8.6 always uses SCTP port 5000 at both ends.
//
//	peer talk ADDR:PORT      against tests/net/pion_shim.c: streams, PPIDs,
//	                         the U bit, a 60 KB message, PR-SCTP both ways,
//	                         then an ABORT with a reason
//	peer graceful ADDR:PORT  one message each way, then the shim's SHUTDOWN
//	peer shutdown ADDR:PORT  one message each way, then pion's SHUTDOWN
//	peer echo ADDR:PORT N    N bytes in 16 KiB messages, echoed byte-exact
//	                         (socat ... PIPE), then socat's SHUTDOWN
//	peer send ADDR:PORT MSG  one message on stream 0, then ABORT
//	peer server PORT         pion as the server, for 5 s
package main

import (
	"bytes"
	"context"
	"crypto/sha256"
	"fmt"
	"math/rand"
	"net"
	"os"
	"strconv"
	"sync"
	"time"

	"github.com/pion/logging"
	"github.com/pion/sctp"
)

func die(format string, args ...interface{}) {
	fmt.Fprintf(os.Stderr, "pion peer: "+format+"\n", args...)
	os.Exit(1)
}

func ok(format string, args ...interface{}) {
	fmt.Printf("pion: "+format+"\n", args...)
}

func client(addr string) *sctp.Association {
	conn, err := net.Dial("udp", addr)
	if err != nil {
		die("dial %s: %v", addr, err)
	}
	a, err := sctp.Client(sctp.Config{NetConn: conn, LoggerFactory: logging.NewDefaultLoggerFactory()})
	if err != nil {
		die("association with %s: %v", addr, err)
	}
	ok("association up with %s", addr)
	return a
}

func open(a *sctp.Association, sid uint16, ppi sctp.PayloadProtocolIdentifier) *sctp.Stream {
	s, err := a.OpenStream(sid, ppi)
	if err != nil {
		die("open stream %d: %v", sid, err)
	}
	return s
}

func write(s *sctp.Stream, msg []byte, ppi sctp.PayloadProtocolIdentifier) {
	if n, err := s.WriteSCTP(msg, ppi); err != nil || n != len(msg) {
		die("write %d bytes on stream %d: %d, %v", len(msg), s.StreamIdentifier(), n, err)
	}
}

// expect reads one message on s and checks it.
func expect(s *sctp.Stream, want []byte, ppi sctp.PayloadProtocolIdentifier) {
	buf := make([]byte, 128*1024)
	s.SetReadDeadline(time.Now().Add(15 * time.Second))
	n, got, err := s.ReadSCTP(buf)
	if err != nil {
		die("read on stream %d: %v", s.StreamIdentifier(), err)
	}
	if !bytes.Equal(buf[:n], want) || got != ppi {
		die("stream %d: %d bytes %q... ppi %d, expected %d bytes %q... ppi %d",
			s.StreamIdentifier(), n, short(buf[:n]), got, len(want), short(want), ppi)
	}
}

func short(b []byte) []byte {
	if len(b) > 20 {
		return b[:20]
	}
	return b
}

func talk(addr string) {
	a := client(addr)
	s1 := open(a, 1, 51)
	write(s1, []byte("PION-ORDERED"), 51)
	expect(s1, []byte("PION-ORDERED"), 51)
	ok("stream 1, PPID 51: sent and echoed")

	s2 := open(a, 2, 51)
	s2.SetReliabilityParams(true, sctp.ReliabilityTypeReliable, 0)
	write(s2, []byte("PION-UNORDERED"), 51)
	expect(s2, []byte("PION-UNORDERED"), 51)
	ok("stream 2, unordered: sent and echoed")

	big := make([]byte, 60*1024)
	for i := range big {
		big[i] = byte('a' + i%26)
	}
	s3 := open(a, 3, 53)
	write(s3, big, 53)
	expect(s3, big, 53)
	ok("stream 3, PPID 53: 61440 bytes, one message, echoed")

	// PR-SCTP from pion: no retransmission on stream 5 (pion keeps the
	// policy per stream, not per message); the script drops it.
	s5 := open(a, 5, 51)
	s5.SetReliabilityParams(false, sctp.ReliabilityTypeRexmit, 0)
	write(s5, []byte("PION-LOST"), 51)
	s6 := open(a, 6, 51)
	write(s6, []byte("PION-AFTER"), 51)
	expect(s6, []byte("PION-AFTER"), 51)
	ok("stream 5: PION-LOST abandoned; stream 6: PION-AFTER delivered and echoed")

	// PR-SCTP from the shim: it sends PR-LOST (dropped) then PR-AFTER.
	s4 := open(a, 4, 51)
	write(s4, []byte("SEND-PR"), 51)
	expect(s4, []byte("PR-AFTER"), 51)
	ok("stream 4: PR-AFTER arrived, PR-LOST was skipped")

	a.Abort("pion says bye")
	ok("aborted")
}

// closed waits for the shim's SHUTDOWN: reads end with an error (EOF).
func closed(s *sctp.Stream) {
	buf := make([]byte, 1024)
	s.SetReadDeadline(time.Now().Add(15 * time.Second))
	n, _, err := s.ReadSCTP(buf)
	if err == nil {
		die("%d more bytes instead of the end", n)
	}
	if ne, ok := err.(net.Error); ok && ne.Timeout() {
		die("the association was not closed within 15 s")
	}
	ok("the shim shut the association down (%v)", err)
}

func graceful(addr string) {
	a := client(addr)
	s := open(a, 0, 51)
	write(s, []byte("PION-BYE"), 51)
	expect(s, []byte("PION-BYE"), 51)
	closed(s)
}

// shutdown: pion starts the SHUTDOWN (see pion.sh for what 1.8.6 puts
// in it).
func shutdown(addr string) {
	a := client(addr)
	s := open(a, 0, 51)
	write(s, []byte("PION-BYE"), 51)
	expect(s, []byte("PION-BYE"), 51)
	ctx, cancel := context.WithTimeout(context.Background(), 15*time.Second)
	defer cancel()
	if err := a.Shutdown(ctx); err != nil {
		die("shutdown: %v", err)
	}
	ok("shutdown returned")
}

func echo(addr string, size int) {
	a := client(addr)
	s := open(a, 0, 53)
	data := make([]byte, size)
	rand.New(rand.NewSource(14)).Read(data)
	var got bytes.Buffer
	var wg sync.WaitGroup
	wg.Add(1)
	go func() {
		defer wg.Done()
		buf := make([]byte, 128*1024)
		for got.Len() < size {
			s.SetReadDeadline(time.Now().Add(20 * time.Second))
			n, _, err := s.ReadSCTP(buf)
			if err != nil {
				die("read after %d bytes: %v", got.Len(), err)
			}
			got.Write(buf[:n])
		}
	}()
	for off := 0; off < size; off += 16 * 1024 {
		end := off + 16*1024
		if end > size {
			end = size
		}
		write(s, data[off:end], 53)
	}
	wg.Wait()
	if !bytes.Equal(got.Bytes(), data) {
		die("echo differs: %d bytes back", got.Len())
	}
	ok("%d bytes echoed byte-exact, sha256 %x", size, sha256.Sum256(data))
	closed(s)
}

func send(addr, msg string) {
	a := client(addr)
	s := open(a, 0, 51)
	write(s, []byte(msg), 51)
	time.Sleep(500 * time.Millisecond)
	a.Abort("sent")
	ok("sent %q, then aborted", msg)
}

// pconn answers whoever wrote last (a UDP server's net.Conn).
type pconn struct {
	net.PacketConn
	mu   sync.Mutex
	peer net.Addr
}

func (c *pconn) Read(p []byte) (int, error) {
	n, from, err := c.ReadFrom(p)
	if err == nil {
		c.mu.Lock()
		c.peer = from
		c.mu.Unlock()
	}
	return n, err
}

func (c *pconn) Write(p []byte) (int, error) {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.WriteTo(p, c.peer)
}

func (c *pconn) RemoteAddr() net.Addr { return c.peer }

func server(port string) {
	pc, err := net.ListenPacket("udp", ":"+port)
	if err != nil {
		die("listen: %v", err)
	}
	done := make(chan error, 1)
	go func() {
		a, err := sctp.Server(sctp.Config{NetConn: &pconn{PacketConn: pc},
			LoggerFactory: logging.NewDefaultLoggerFactory()})
		if err == nil {
			ok("server: association up")
			a.Close()
		}
		done <- err
	}()
	select {
	case err := <-done:
		if err != nil {
			die("server: %v", err)
		}
	case <-time.After(5 * time.Second):
		fmt.Println("pion: server: no association within 5 s")
		os.Exit(3)
	}
}

func main() {
	if len(os.Args) < 3 {
		die("usage: peer talk|graceful|shutdown|echo|send|server ...")
	}
	switch os.Args[1] {
	case "talk":
		talk(os.Args[2])
	case "graceful":
		graceful(os.Args[2])
	case "shutdown":
		shutdown(os.Args[2])
	case "echo":
		n, _ := strconv.Atoi(os.Args[3])
		echo(os.Args[2], n)
	case "send":
		send(os.Args[2], os.Args[3])
	case "server":
		server(os.Args[2])
	default:
		die("unknown mode %s", os.Args[1])
	}
}
