package sampler

import (
	"crypto/tls"
	"errors"

	"github.com/gometer/gometer/functions"
	"github.com/gometer/gometer/keystore"
)

// ClientCerts are a run's client certificates (javax.net.ssl.keyStore),
// offered when a server asks for one during the TLS handshake, as JMeter's
// key manager does.
type ClientCerts struct {
	Sel *keystore.Selection
	// AliasVar names the user variable that holds the alias to present
	// (Keystore Configuration's clientCertAliasVarName); "" takes the
	// selected aliases in turn, across all users.
	AliasVar string
}

// pickAlias records, before a request, the alias the user's variable names
// now: a connection opened by this request presents it.
func (st *HTTPState) pickAlias(c *functions.Context) {
	cc := st.opt.ClientCerts
	if cc == nil || cc.AliasVar == "" || c == nil || c.Vars == nil {
		return
	}
	st.certAlias, _ = c.Vars.Get(cc.AliasVar)
}

// clientCertError is a client certificate that cannot be chosen: JMeter's
// key manager throws, and the sample fails with javax.net.ssl.SSLException.
type clientCertError struct{ err error }

func (e *clientCertError) Error() string { return e.err.Error() }
func (e *clientCertError) Unwrap() error { return e.err }

// clientCertificate answers the server's certificate request.
func (st *HTTPState) clientCertificate(*tls.CertificateRequestInfo) (*tls.Certificate, error) {
	cc := st.opt.ClientCerts
	if cc.AliasVar != "" {
		if st.certAlias == "" {
			return nil, &clientCertError{errors.New("No var called '" + cc.AliasVar + "' found")}
		}
		c, err := cc.Sel.ByAlias(st.certAlias)
		if err != nil {
			return nil, &clientCertError{err}
		}
		return c, nil
	}
	if c := cc.Sel.Next(); c != nil {
		return c, nil
	}
	return &tls.Certificate{}, nil // none to offer
}
